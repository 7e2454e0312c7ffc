package com.rainforestqa.integrations.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of an installation's {@code bin/rainforest-integrations} command ({@code check}, {@code plugins},
 * {@code send}) as a separate process.
 *
 * @param status the exit status
 * @param output what it wrote to standard output
 * @param errors what it wrote to standard error
 */
record InstallationCommand(int status, String output, String errors) {
    /** @return both outputs, for assertion messages */
    String both() {
        return output + (errors.isEmpty() ? "" : "\n(stderr)\n" + errors);
    }

    /**
     * Runs the command and waits for it.
     *
     * @param home the installation
     * @param workingDirectory where it runs and its outputs are kept
     * @param environment added to the environment
     * @param args the command's arguments
     * @return what it did
     */
    static InstallationCommand run(Path home, Path workingDirectory, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin").resolve("rainforest-integrations").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().putAll(environment);
        Path out = Files.createTempFile(workingDirectory, "cli", ".out");
        Path err = Files.createTempFile(workingDirectory, "cli", ".err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("rainforest-integrations " + String.join(" ", args) + " did not finish");
        }
        return new InstallationCommand(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
