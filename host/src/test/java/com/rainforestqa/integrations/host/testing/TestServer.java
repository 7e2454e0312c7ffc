package com.rainforestqa.integrations.host.testing;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

/** Serves a host on a test's server as {@code Main} does, with the operators' socket on a free loopback port. */
public final class TestServer {
    private TestServer() {
    }

    /**
     * Adds the {@value HostConfig#ADMIN_SOCKET} socket, read from configuration as {@code Main} reads it, and the
     * host's routes on both sockets.
     *
     * @param server the builder a {@code @SetUpServer} method gets
     * @param host the host to serve
     */
    public static void serve(WebServerConfig.Builder server, IntegrationsHost host) {
        server.putSocket(HostConfig.ADMIN_SOCKET, HostConfig.adminSocket(HostConfig.fromYaml("""
                server:
                  sockets:
                    admin:
                      port: 0
                """).get("server")));
        host.serve(server);
    }

    /**
     * @param server the running server
     * @return the port of its operators' socket
     */
    public static int adminPort(WebServer server) {
        return server.port(HostConfig.ADMIN_SOCKET);
    }
}
