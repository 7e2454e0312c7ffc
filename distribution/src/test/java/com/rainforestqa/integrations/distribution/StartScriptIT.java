package com.rainforestqa.integrations.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start script as an operator meets it: from any working directory, through a link, on a machine whose default
 * Java is too old, and stopped with SIGTERM.
 */
class StartScriptIT {
    private static final int MIN_JAVA = 21;

    @RegisterExtension
    static final ServiceOutput OUTPUT = new ServiceOutput();

    @TempDir
    Path temp;

    @Test
    void startsFromAnotherWorkingDirectoryThroughASymlink() throws Exception {
        Path link = Files.createSymbolicLink(temp.resolve("rainforest-integrations"), Installation.script());
        Path elsewhere = Files.createDirectory(temp.resolve("elsewhere"));

        try (ServiceProcess service = start(link, elsewhere, new HashMap<>(), "symlink")) {
            service.awaitReady();

            // The bundled plugin is found, so the installation was found through the link, not the working directory.
            assertThat(integrationKeys(service)).contains("slack");
        } finally {
            // Only the link: @TempDir clean-up would warn about a link pointing out of the temporary directory.
            Files.delete(link);
        }
    }

    @Test
    void findsJava21UnderUsrLibJvmWhenPathHasOnlyAnOlderJava() throws Exception {
        Jdks.Jdk old = olderJdk();
        Map<String, String> environment = new HashMap<>();
        environment.put("JAVA_HOME", null);
        environment.put("PATH", old.bin() + ":/usr/bin:/bin");

        try (ServiceProcess service = start(Installation.script(), temp, environment, "old-java-on-path")) {
            service.awaitReady();
        }
    }

    @Test
    void skipsAJavaHomeOlderThan21() throws Exception {
        Jdks.Jdk old = olderJdk();
        Map<String, String> environment = new HashMap<>();
        environment.put("JAVA_HOME", old.home().toString());
        environment.put("PATH", old.bin() + ":/usr/bin:/bin");

        try (ServiceProcess service = start(Installation.script(), temp, environment, "old-java-home")) {
            service.awaitReady();

            assertThat(service.output()).contains("skipping JAVA_HOME=" + old.home());
        }
    }

    @Test
    void stopsCleanlyOnSigterm() throws Exception {
        try (ServiceProcess service = start(Installation.script(), temp, new HashMap<>(), "sigterm")) {
            service.awaitReady();

            int exitCode = service.stop();

            // The script execs the JVM, so SIGTERM reaches it: it runs its shutdown hooks and exits with 143 (or 0).
            assertThat(exitCode).as(service.output()).isIn(0, 143);
            assertThat(service.accepting()).isFalse();
        }
    }

    @Test
    void trainsAStartUpCacheOnTheFirstRunAndStartsFromItAfter() throws Exception {
        Path cacheDirectory = Files.createDirectory(temp.resolve("cache"));
        Map<String, String> environment = new HashMap<>();
        environment.put("INTEGRATIONS_CACHE_DIR", cacheDirectory.toString());

        Path cache;
        boolean aot;
        try (ServiceProcess first = start(Installation.script(), temp, new HashMap<>(environment), "cache-first")) {
            first.awaitReady();
            // Java 25+ gets an AOT cache, written when this run stops; older ones a dynamic CDS archive.
            Optional<String> output = option(first, "-XX:AOTCacheOutput=");
            aot = output.isPresent();
            cache = Path.of(output.or(() -> option(first, "-XX:SharedArchiveFile=")).orElseThrow());
            assertThat(cache.getParent()).isEqualTo(cacheDirectory);

            assertThat(first.stop()).as(first.output()).isIn(0, 143);
        }
        assertThat(cache).isRegularFile();
        assertThat(Files.size(cache)).isGreaterThan(1_000_000);

        try (ServiceProcess second = start(Installation.script(), temp, new HashMap<>(environment), "cache-second")) {
            second.awaitReady();

            assertThat(option(second, aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=")).contains(cache.toString());
            assertThat(option(second, "-XX:AOTCacheOutput=")).isEmpty();
            assertThat(integrationKeys(second)).contains("slack");
        }
        try (var files = Files.list(cacheDirectory)) {
            assertThat(files).containsExactly(cache);
        }

        // The JVM would skip that cache with another collector, and not train one: other options get their own.
        environment.put("JAVA_OPTS", "-XX:+UseParallelGC");
        try (ServiceProcess third = start(Installation.script(), temp, new HashMap<>(environment), "cache-third")) {
            third.awaitReady();

            Optional<String> output = option(third, aot ? "-XX:AOTCacheOutput=" : "-XX:SharedArchiveFile=");
            assertThat(output).isPresent().get().isNotEqualTo(cache.toString());
            assertThat(Path.of(output.get()).getParent()).isEqualTo(cacheDirectory);
        }
    }

    @Test
    void aCollectorInJavaOptsReplacesTheDefaultOne() throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("JAVA_OPTS", "-XX:+UseParallelGC");
        // A cache directory of its own: a cache trained with another collector would not fit the other tests.
        environment.put("INTEGRATIONS_CACHE_DIR", Files.createDirectory(temp.resolve("cache")).toString());

        try (ServiceProcess service = start(Installation.script(), temp, environment, "collector")) {
            service.awaitReady();

            List<String> arguments = List.of(service.process().info().arguments().orElseThrow());
            assertThat(arguments).contains("-XX:+UseParallelGC").doesNotContain("-XX:+UseSerialGC");
        }
    }

    /** The value of a JVM option the script gave the service's process. */
    private static Optional<String> option(ServiceProcess service, String prefix) {
        String[] arguments = service.process().info().arguments().orElseThrow();
        return Arrays.stream(arguments).filter(argument -> argument.startsWith(prefix))
                .map(argument -> argument.substring(prefix.length())).findFirst();
    }

    private ServiceProcess start(Path script, Path workingDirectory, Map<String, String> environment, String name) {
        environment.put("INTEGRATIONS_SIGNING_KEY", "start-script-signing-key");
        // A configuration file named in the developer's own environment must not change what these tests see.
        environment.put("INTEGRATIONS_CONFIG_FILE", null);
        return OUTPUT.watch(ServiceProcess.start(script, workingDirectory, environment,
                Installation.logsDirectory().resolve("StartScriptIT-" + name + ".log")));
    }

    private static Jdks.Jdk olderJdk() {
        Optional<Jdks.Jdk> old = Jdks.olderThan(MIN_JAVA);
        assumeThat(old).as("a JDK older than %d under %s", MIN_JAVA, Jdks.JVM_DIR).isPresent();
        assumeThat(Jdks.hasAtLeast(MIN_JAVA)).as("a JDK %d+ under %s", MIN_JAVA, Jdks.JVM_DIR).isTrue();
        return old.get();
    }

    private static List<String> integrationKeys(ServiceProcess service) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(service.uri("/integrations"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return Json.createReader(new StringReader(response.body())).readArray().stream()
                    .map(JsonValue::asJsonObject).map(schema -> schema.getString("key")).toList();
        }
    }
}
