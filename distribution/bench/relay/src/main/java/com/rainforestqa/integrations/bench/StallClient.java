package com.rainforestqa.integrations.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The stall attack, for {@code distribution/bench/run}: one client holds {@code connections} connections, each of
 * which sends the start of a request ({@code POST /events HTTP/1.1}, a {@code Host} header) and then nothing; with
 * {@code reconnect}, it opens a new one whenever the server closes one, so that that many are always pending.
 * Meanwhile a probe sends {@code GET /integrations} on a new
 * connection every 100 ms and times its answer. It prints key=value lines: probes, how many were answered 200 within
 * a second, failures, the median and slowest answer, and how many stalled connections were opened and closed by
 * the server.
 *
 * <p>Arguments: port, connections, seconds, and {@code hold} or {@code reconnect}.
 */
public final class StallClient {
    private static final byte[] STALL = "POST /events HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROBE = "GET /integrations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private StallClient() {
    }

    /**
     * Runs the attack and the probe.
     *
     * @param args port, connections, seconds, hold or reconnect
     * @throws Exception if the selector cannot be opened
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        long end = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
        boolean reconnect = args.length > 3 && args[3].equals("reconnect");
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        long[] counts = new long[2];
        Thread attacker = Thread.ofPlatform().daemon().start(() -> attack(address, connections, reconnect, end,
                counts));
        // The attack takes hold first.
        Thread.sleep(Math.min(10_000, (end - System.nanoTime()) / 4_000_000));
        List<Long> answered = new ArrayList<>();
        int failed = 0;
        while (System.nanoTime() < end - 1_000_000_000L) {
            long started = System.nanoTime();
            if (probe(address)) {
                answered.add((System.nanoTime() - started) / 1_000_000);
            } else {
                failed++;
            }
            Thread.sleep(100);
        }
        attacker.join(5000);
        Collections.sort(answered);
        long within = answered.stream().filter(ms -> ms <= 1000).count();
        int probes = answered.size() + failed;
        System.out.printf("probes=%d%nwithin_1s=%d%nwithin_1s_pct=%.1f%nfailed=%d%np50_ms=%d%nmax_ms=%d%n"
                        + "stalled_opened=%d%nstalled_closed_by_server=%d%n", probes, within,
                probes == 0 ? 0.0 : 100.0 * within / probes, failed,
                answered.isEmpty() ? -1 : answered.get(answered.size() / 2),
                answered.isEmpty() ? -1 : answered.getLast(), counts[0], counts[1]);
    }

    private static boolean probe(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(PROBE);
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            in.transferTo(OutputStream.nullOutputStream());
            return new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    private static void attack(InetSocketAddress address, int connections, boolean reconnect, long end,
                               long[] counts) {
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                open(selector, address, counts);
            }
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (System.nanoTime() < end) {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    boolean closed;
                    try {
                        if (key.isConnectable()) {
                            channel.finishConnect();
                            channel.write(ByteBuffer.wrap(STALL));
                            key.interestOps(SelectionKey.OP_READ);
                            closed = false;
                        } else {
                            buffer.clear();
                            closed = channel.read(buffer) < 0;
                        }
                    } catch (IOException e) {
                        closed = true;
                    }
                    if (closed) {
                        key.cancel();
                        channel.close();
                        counts[1]++;
                        if (reconnect) {
                            open(selector, address, counts);
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void open(Selector selector, InetSocketAddress address, long[] counts) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.connect(address);
        channel.register(selector, SelectionKey.OP_CONNECT);
        counts[0]++;
    }
}
