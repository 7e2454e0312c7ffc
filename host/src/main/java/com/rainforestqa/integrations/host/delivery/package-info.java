/**
 * Delivery of one event: the event catalogue, validation of a whole request before anything is sent, and the
 * concurrent fan-out to every requested integration within one deadline.
 */
package com.rainforestqa.integrations.host.delivery;
