package com.rainforestqa.integrations.api;

/**
 * The only way a plugin reaches the network. The host's implementation applies connect and read time-outs, the
 * event's deadline, the outbound address rules, metrics and redaction, so plugins do not have to.
 *
 * <p>Safe to use from many threads at once.
 */
public interface OutboundHttp {

    /**
     * Sends a request and waits for the whole answer. Redirects are not followed.
     *
     * @param request the request
     * @return the answer, whatever its status: mapping statuses to errors is the plugin's job, because only it knows
     *         what the target means by them
     * @throws IntegrationException of type {@link ErrorType#TRANSIENT} when the target cannot be reached or does not
     *         answer in time, or of type {@link ErrorType#USER_CONFIGURATION_ERROR} when the host refuses to contact
     *         the address (for example a host the plugin may not reach)
     */
    OutboundResponse send(OutboundRequest request);
}
