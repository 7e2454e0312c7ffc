package com.rainforestqa.integrations.api;

/**
 * Why a delivery failed. The host turns each type into the {@code type} of its error response and decides from it
 * whether to retry.
 */
public enum ErrorType {
    /**
     * The user's settings are wrong: a bad token, an unknown channel or project, a URL that leads nowhere. Retrying
     * does not help; the user must change the settings. Not reported to the operators' error tracker.
     */
    USER_CONFIGURATION_ERROR("user_configuration_error"),

    /**
     * The request to the target was wrong, or required settings are missing: the integration (or the caller) has a
     * bug. Retrying does not help. Reported to the operators.
     */
    MISCONFIGURED_INTEGRATION("misconfigured_integration"),

    /**
     * The target could not be reached, was overloaded, rate-limited the request or failed on its side. The host may
     * retry within the event's deadline; if every attempt fails the result is {@code delivery_failed}.
     */
    TRANSIENT("delivery_failed");

    private final String code;

    ErrorType(String code) {
        this.code = code;
    }

    /**
     * The value of the {@code type} field in the host's error response for this kind of failure.
     *
     * @return for example {@code "user_configuration_error"}
     */
    public String code() {
        return code;
    }
}
