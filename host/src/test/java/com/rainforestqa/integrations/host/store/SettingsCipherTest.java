package com.rainforestqa.integrations.host.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsCipherTest {
    private static final byte[] SECRET = "{\"url\":\"https://hooks.example/T0/B0/secret\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void sealedValueOpensWithTheSameKeyAndContextOnly() {
        SettingsCipher cipher = SettingsCipher.ephemeral();

        byte[] sealed = cipher.seal(SECRET, "delivery-1");

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("secret");
        assertThat(cipher.open(sealed, "delivery-1")).isEqualTo(SECRET);
        assertThatThrownBy(() -> cipher.open(sealed, "delivery-2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SettingsCipher.ephemeral().open(sealed, "delivery-1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void alteredValueDoesNotOpen() {
        SettingsCipher cipher = SettingsCipher.ephemeral();
        byte[] sealed = cipher.seal(SECRET, "delivery-1");
        sealed[sealed.length - 1] ^= 1;

        assertThatThrownBy(() -> cipher.open(sealed, "delivery-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyFileIsMadeOnceReadableByTheOwnerOnlyAndReadAgain() throws Exception {
        assertThat(SettingsCipher.ofKeyFile(dir, false)).isEmpty();

        SettingsCipher made = SettingsCipher.ofKeyFile(dir, true).orElseThrow();
        SettingsCipher read = SettingsCipher.ofKeyFile(dir, false).orElseThrow();

        Path file = dir.resolve(SettingsCipher.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(read.open(made.seal(SECRET, "c"), "c")).isEqualTo(SECRET);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void configuredKeyMustBeA256BitBase64Key() {
        String key = Base64.getEncoder().encodeToString(new byte[32]);

        assertThat(SettingsCipher.ofKey(key).open(SettingsCipher.ofKey(key).seal(SECRET, "c"), "c")).isEqualTo(SECRET);
        assertThatThrownBy(() -> SettingsCipher.ofKey("not base64!")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> SettingsCipher.ofKey(Base64.getEncoder().encodeToString(new byte[16])))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void keyFileWithoutAKeyIsRefused() throws Exception {
        Files.writeString(dir.resolve(SettingsCipher.KEY_FILE), "garbage");

        assertThatThrownBy(() -> SettingsCipher.ofKeyFile(dir, true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not hold a 256-bit base64 key");
    }
}
