/** Helpers of the benchmark ({@code distribution/bench/run}): the relay that sets the floor, and a slow target. */
package com.rainforestqa.integrations.bench;
