package com.rainforestqa.integrations.host.observe;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * The process's and the JVM's figures, read when scraped, under the names the Prometheus Java client uses for them:
 * CPU time, start time, heap and non-heap memory, threads, and collections by collector.
 */
final class RuntimeMeters {
    private static final List<String> NONE = List.of();
    private static final List<String> AREA = List.of("area");
    private static final List<String> GC = List.of("gc");

    private RuntimeMeters() {
    }

    static void writeTo(PrometheusText out) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                && os.getProcessCpuTime() >= 0) {
            out.family("process_cpu_seconds_total", "counter", "CPU time the process used, user and system");
            out.sample("process_cpu_seconds_total", NONE, NONE, os.getProcessCpuTime() / 1e9);
        }
        out.family("process_start_time_seconds", "gauge", "When the process started, in seconds since the epoch");
        out.sample("process_start_time_seconds", NONE, NONE, ManagementFactory.getRuntimeMXBean().getStartTime() / 1e3);

        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        out.family("jvm_memory_bytes_used", "gauge", "Memory the JVM uses, by area");
        out.sample("jvm_memory_bytes_used", AREA, List.of("heap"), heap.getUsed());
        out.sample("jvm_memory_bytes_used", AREA, List.of("nonheap"), nonHeap.getUsed());
        out.family("jvm_memory_bytes_committed", "gauge", "Memory the operating system gave the JVM, by area");
        out.sample("jvm_memory_bytes_committed", AREA, List.of("heap"), heap.getCommitted());
        out.sample("jvm_memory_bytes_committed", AREA, List.of("nonheap"), nonHeap.getCommitted());
        out.family("jvm_memory_bytes_max", "gauge", "The most memory the heap may use");
        out.sample("jvm_memory_bytes_max", AREA, List.of("heap"), heap.getMax());

        out.family("jvm_threads_current", "gauge", "Platform threads alive, the carriers of virtual threads included");
        out.sample("jvm_threads_current", NONE, NONE, ManagementFactory.getThreadMXBean().getThreadCount());

        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        out.family("jvm_gc_collection_seconds", "summary", "Time spent in collections, by collector");
        for (GarbageCollectorMXBean collector : collectors) {
            List<String> name = List.of(collector.getName());
            out.sample("jvm_gc_collection_seconds_count", GC, name, Math.max(0, collector.getCollectionCount()));
            out.sample("jvm_gc_collection_seconds_sum", GC, name, Math.max(0, collector.getCollectionTime()) / 1e3);
        }
    }
}
