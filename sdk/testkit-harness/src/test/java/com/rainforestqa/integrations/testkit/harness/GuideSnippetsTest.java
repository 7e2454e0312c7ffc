package com.rainforestqa.integrations.testkit.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet of the plugin author's guide, {@code api/README.md}, compiles against the plugin API and the test
 * kit, together, as a plugin project would hold them.
 */
class GuideSnippetsTest {
    private static final Path GUIDE = Path.of("..", "..", "api", "README.md");
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?ms)^```java\\n(.*?)^```");
    private static final Pattern TYPE = Pattern.compile("(?m)^(?:public )?(?:final )?(?:class|record|interface) (\\w+)");

    @TempDir
    Path sources;

    @Test
    void theSchemaShownIsTheExamplesOwn() throws IOException {
        String guide = Files.readString(GUIDE, StandardCharsets.UTF_8);
        String schema = Files.readString(Path.of("..", "..", "plugins", "examples", "google-chat", "src", "main",
                "resources", "META-INF", "integrations", "google_chat.yaml"), StandardCharsets.UTF_8);

        assertThat(guide).contains("```yaml\n" + schema + "```\n");
    }

    @Test
    void thePomShownIsTheExamplesOwn() throws IOException {
        String guide = Files.readString(GUIDE, StandardCharsets.UTF_8);
        String pom = Files.readString(Path.of("..", "..", "plugins", "examples", "google-chat", "pom.xml"),
                StandardCharsets.UTF_8);

        assertThat(guide).contains("```xml\n" + pom + "```\n");
    }

    @Test
    void everyJavaSnippetOfTheGuideCompiles() throws IOException {
        String guide = Files.readString(GUIDE, StandardCharsets.UTF_8);
        List<Path> files = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(guide);
        while (block.find()) {
            String code = block.group(1);
            Matcher type = TYPE.matcher(code);
            assertThat(type.find()).as("a snippet declares no top-level type:\n%s", code).isTrue();
            files.add(Files.writeString(sources.resolve(type.group(1) + ".java"), code));
        }
        assertThat(files).hasSize(3);

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager manager = compiler.getStandardFileManager(diagnostics, null,
                StandardCharsets.UTF_8)) {
            boolean compiled = compiler.getTask(null, manager, diagnostics,
                    List.of("-classpath", System.getProperty("java.class.path"), "-proc:none", "-Xlint:all",
                            "-Werror", "-d", Files.createDirectories(sources.resolve("classes")).toString()),
                    null, manager.getJavaFileObjectsFromPaths(files)).call();
            assertThat(compiled).as("the guide's snippets do not compile: %s", diagnostics.getDiagnostics()).isTrue();
        }
    }
}
