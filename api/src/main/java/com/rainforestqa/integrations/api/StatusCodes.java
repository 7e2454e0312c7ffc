package com.rainforestqa.integrations.api;

/**
 * What a target's HTTP status code usually means for a delivery, for the answers a plugin has no better knowledge
 * of. A plugin checks the codes its target documents first (a 400 naming the user's project, a 403 that is a rate
 * limit) and leaves the rest to {@link #errorType(int)}:
 *
 * <pre>{@code
 * if (!response.isSuccess()) {
 *     throw new IntegrationException(StatusCodes.errorType(response.status()),
 *             "the target answered " + response.status(), response);
 * }
 * }</pre>
 */
public final class StatusCodes {
    private StatusCodes() {
    }

    /**
     * Whether the same request may succeed later: 408 (request timeout), 425 (too early), 429 (too many requests)
     * and every 5xx.
     *
     * @param status an HTTP status code
     * @return true for the retryable codes
     */
    public static boolean isRetryable(int status) {
        return status == 408 || status == 425 || status == 429 || status >= 500 && status <= 599;
    }

    /**
     * The error type of a status code that is not a success:
     * <ul>
     * <li>{@link ErrorType#TRANSIENT} for the {@linkplain #isRetryable(int) retryable} codes;</li>
     * <li>{@link ErrorType#USER_CONFIGURATION_ERROR} for codes that say the URL or the credentials are wrong: 3xx
     * (the host never follows redirects, so the URL is not the final address), 401, 403, 404, 405 and 410;</li>
     * <li>{@link ErrorType#MISCONFIGURED_INTEGRATION} for every other code: the target read the request and refused
     * its content (400, 413, 422, ...), a plugin bug.</li>
     * </ul>
     *
     * @param status an HTTP status code from 100 to 599, not 2xx
     * @return the error type
     * @throws IllegalArgumentException for a 2xx code or a number that is no status code
     */
    public static ErrorType errorType(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status code: " + status);
        }
        if (status >= 200 && status <= 299) {
            throw new IllegalArgumentException("a success is no error: " + status);
        }
        if (isRetryable(status)) {
            return ErrorType.TRANSIENT;
        }
        if (status >= 300 && status <= 399 || status == 401 || status == 403 || status == 404 || status == 405
                || status == 410) {
            return ErrorType.USER_CONFIGURATION_ERROR;
        }
        return ErrorType.MISCONFIGURED_INTEGRATION;
    }
}
