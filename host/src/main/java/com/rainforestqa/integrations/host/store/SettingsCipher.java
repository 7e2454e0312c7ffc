package com.rainforestqa.integrations.host.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the settings of pending deliveries with AES-256-GCM, so that tokens and webhook URLs never rest in the
 * store in the clear. Each sealed value is bound to the row it belongs to (as associated data), so a value copied
 * to another row does not open.
 *
 * <p>Thread-safe: a {@link Cipher} is made per call.
 */
public final class SettingsCipher {
    /** The key file's name in the data directory. */
    public static final String KEY_FILE = "store.key";

    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    private SettingsCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * A cipher with a configured key.
     *
     * @param base64 the key, 32 bytes in base64
     * @return the cipher
     * @throws IllegalStateException if the value is not a base64 256-bit key
     */
    public static SettingsCipher ofKey(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("integrations.store.encryption-key is not base64");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException("integrations.store.encryption-key must be 32 bytes (256 bits) in base64, "
                    + "such as the output of: openssl rand -base64 32");
        }
        return new SettingsCipher(key);
    }

    /**
     * A cipher with a key that lives only as long as this object, for a store that lives no longer.
     *
     * @return the cipher
     */
    public static SettingsCipher ephemeral() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return new SettingsCipher(key);
    }

    /**
     * The cipher of the key file in a data directory.
     *
     * @param dir the data directory
     * @param create whether to generate the key file when there is none (only for a store without sealed data)
     * @return the cipher, or empty when there is no key file and {@code create} is false
     * @throws IllegalStateException if the key file cannot be read or written, or does not hold a key
     */
    public static Optional<SettingsCipher> ofKeyFile(Path dir, boolean create) {
        Path file = dir.resolve(KEY_FILE);
        try {
            if (Files.exists(file)) {
                return Optional.of(ofKeyFileContent(file));
            }
            if (!create) {
                return Optional.empty();
            }
            byte[] key = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(key);
            // Created with its permissions, so the key is never readable by others, not even for an instant.
            Path temporary = Files.createTempFile(dir, ".store-key-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, file);
            } catch (FileAlreadyExistsException e) {
                Files.delete(temporary);
                return Optional.of(ofKeyFileContent(file));
            }
            return Optional.of(new SettingsCipher(key));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or write the store's key file " + file + ": " + e.getMessage(),
                    e);
        }
    }

    private static SettingsCipher ofKeyFileContent(Path file) throws IOException {
        try {
            return ofKey(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the key file " + file + " does not hold a 256-bit base64 key");
        }
    }

    /**
     * Seals a value.
     *
     * @param plain the value
     * @param context what the value belongs to, such as its row's id; opening needs the same
     * @return the initialisation vector followed by the ciphertext and its tag
     */
    public byte[] seal(byte[] plain, String context) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Opens a sealed value.
     *
     * @param sealed what {@link #seal} returned
     * @param context the context it was sealed with
     * @return the value
     * @throws IllegalArgumentException if the value was sealed with another key or context, or was altered
     */
    public byte[] open(byte[] sealed, String context) {
        if (sealed.length < IV_BYTES) {
            throw new IllegalArgumentException("not a sealed value");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("the value does not open with this key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

}
