package com.rainforestqa.integrations.host;

import com.rainforestqa.integrations.host.cli.Cli;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.host.plugin.LoadedIntegration;
import com.rainforestqa.integrations.host.plugin.PluginLoadException;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

import org.eclipse.parsson.JsonProviderImpl;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** Starts the server: logging, then configuration, then plugins and the web server. */
public final class Main {
    /** System property naming the installation directory; the start script sets it. */
    public static final String HOME_PROPERTY = "integrations.home";

    /**
     * The Jakarta JSON provider, named up front. Without the name every {@code Json.createObjectBuilder()} and the
     * like, in the host and in every plugin, looks the provider up through the {@link java.util.ServiceLoader}, which
     * reads {@code META-INF/services} of every jar on the class path each time, and JSON is built for every event.
     */
    static final String JSON_PROVIDER_PROPERTY = "jakarta.json.provider";

    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {
    }

    /**
     * Starts the server and returns, when there are no arguments or the first is {@code serve}; it runs until the
     * process is stopped. Otherwise runs the subcommand the arguments name (see {@link Cli}) and exits with its status.
     *
     * @param args nothing or {@code serve} for the server; a subcommand and its arguments otherwise
     */
    public static void main(String[] args) {
        if (System.getProperty(JSON_PROVIDER_PROPERTY) == null) {
            System.setProperty(JSON_PROVIDER_PROPERTY, JsonProviderImpl.class.getName());
        }
        Path home = Path.of(Optional.ofNullable(System.getProperty(HOME_PROPERTY)).orElse("")).toAbsolutePath();
        if (!Cli.isServe(args)) {
            quietLogging();
            System.exit(new Cli(System.getenv(), home, System.out, System.err).run(List.of(args)));
        }
        LogConfig.configureRuntime();
        try {
            Config config = HostConfig.load(System.getenv(), Optional.of(home));
            LogFormat.apply(config.get("integrations.log.format"));
            IntegrationsHost host = start(config, home);
            // SIGTERM is how supervisors stop a service: an orderly stop, so the exit status is success rather than
            // the JVM's 143. The requests in flight finish first, while logging still works (the JVM's shutdown
            // closes the log handlers in parallel with the other shutdown hooks).
            exitZeroOnTerm(() -> drain(host));
        } catch (IllegalStateException | PluginLoadException e) {
            LOG.log(System.Logger.Level.ERROR, "Cannot start: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void drain(IntegrationsHost host) {
        LOG.log(System.Logger.Level.INFO, "Stopping: new requests are answered 503, waiting for those in flight");
        try {
            int left = host.drain();
            if (left > 0) {
                LOG.log(System.Logger.Level.WARNING, "Stopping with {0} requests still in flight after "
                        + "integrations.shutdown.grace; their queued deliveries stay queued", left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Answers SIGTERM with {@code beforeExit}, then {@code System.exit(0)}. {@code sun.misc.Signal} is the JDK's only
     * way to handle a signal; it is reached by reflection because javac's warning for it cannot be suppressed, and the
     * build treats warnings as errors. Without it the stop still runs the shutdown hooks, only with exit status 143.
     */
    private static void exitZeroOnTerm(Runnable beforeExit) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object exitZero = java.lang.reflect.Proxy.newProxyInstance(handler.getClassLoader(),
                    new Class<?>[] {handler}, (proxy, method, arguments) -> switch (method.getName()) {
                        case "handle" -> {
                            beforeExit.run();
                            System.exit(0);
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == arguments[0];
                        default -> "exit-zero-on-term";
                    });
            signal.getMethod("handle", signal, handler)
                    .invoke(null, signal.getConstructor(String.class).newInstance("TERM"), exitZero);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "SIGTERM keeps the JVM's own handling: " + e);
        }
    }

    /** A subcommand's output is for a person at a terminal: warnings and errors only, on stderr. */
    private static void quietLogging() {
        LogManager.getLogManager().reset();
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(Level.WARNING);
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        root.addHandler(handler);
    }

    /**
     * Starts the service on the configured ports: the public API on {@code server.port}, the operators' endpoints on
     * the {@value HostConfig#ADMIN_SOCKET} socket (see {@link HostConfig#adminSocket}).
     *
     * @param config the root configuration
     * @param home the installation directory
     * @return the host being served; the JVM's shutdown stops the server and closes the host
     */
    public static IntegrationsHost start(Config config, Path home) {
        IntegrationsHost host = IntegrationsHost.create(config, home);
        Config serverConfig = config.get("server");
        WebServerConfig.Builder builder = WebServer.builder()
                .config(serverConfig)
                .putSocket(HostConfig.ADMIN_SOCKET, HostConfig.adminSocket(serverConfig));
        host.serve(builder);
        WebServer server = builder.build().start();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            server.stop();
            host.close();
        }));
        LOG.log(System.Logger.Level.INFO, "Rainforest Integrations listening on port {0,number,#}, operators on {1} "
                        + "port {2,number,#}, with integrations {3}", server.port(),
                builder.sockets().get(HostConfig.ADMIN_SOCKET).host(), server.port(HostConfig.ADMIN_SOCKET),
                host.plugins().integrations().stream().map(LoadedIntegration::key).toList());
        return host;
    }
}
