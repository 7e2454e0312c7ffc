package com.rainforestqa.integrations.host.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi}: the OpenAPI document of this API, {@code META-INF/openapi.yaml}, as written.
 *
 * <p>Served by the host rather than by Helidon's OpenAPI feature, whose dependencies register Helidon's CORS feature,
 * which answers every origin; the host's own {@link Cors} filter decides who may read what.
 */
public final class OpenApiService implements HttpService {
    private static final String DOCUMENT = "META-INF/openapi.yaml";

    private final byte[] document;

    /** Reads the document from the host's class path. */
    public OpenApiService() {
        try (InputStream in = OpenApiService.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the host's class path");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DOCUMENT, e);
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::document)
                .any("/", MethodNotAllowed.allowing("GET"));
    }

    private void document(ServerRequest request, ServerResponse response) {
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, "application/yaml");
        response.send(document);
    }
}
