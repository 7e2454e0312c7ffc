package com.rainforestqa.integrations.distribution;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/** Reads the regular files of a {@code .tar.gz} and their modes, enough to check an archive the build made. */
final class TarArchive {
    private static final int BLOCK = 512;

    private TarArchive() {
    }

    /**
     * The regular files of a gzip-compressed tar archive (ustar, with POSIX or GNU long names).
     *
     * @return permission bits (for example {@code 0755}) by path, in path order
     */
    static Map<String, Integer> fileModes(Path archive) throws IOException {
        Map<String, Integer> modes = new TreeMap<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
            String longName = null;
            while (true) {
                byte[] header = in.readNBytes(BLOCK);
                if (header.length < BLOCK || isZero(header)) {
                    return modes;
                }
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                if (type == 'x') {
                    longName = paxPath(read(in, size)).orElse(longName);
                } else if (type == 'L') {
                    longName = text(read(in, size), 0, (int) size);
                } else if (type == 'g') {
                    in.skipNBytes(size);
                } else {
                    String name = longName != null ? longName : ustarName(header);
                    longName = null;
                    in.skipNBytes(size);
                    if (type == '0' || type == '\0') {
                        modes.put(name, (int) octal(header, 100, 8) & 07777);
                    }
                }
                in.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
            }
        }
    }

    private static String ustarName(byte[] header) {
        String name = text(header, 0, 100);
        String prefix = text(header, 257, 6).startsWith("ustar") ? text(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The {@code path} record of a POSIX extended header: records are {@code "<length> <key>=<value>\n"}. */
    private static Optional<String> paxPath(byte[] data) {
        String records = new String(data, StandardCharsets.UTF_8);
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return Optional.of(record.substring(space + 1 + "path=".length()));
            }
        }
        return Optional.empty();
    }

    private static byte[] read(InputStream in, long size) throws IOException {
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new EOFException("archive ends inside an entry");
        }
        return data;
    }

    private static String text(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length) {
        String digits = text(header, offset, length).trim();
        return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
