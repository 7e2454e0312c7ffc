/**
 * The HTTP API: routes for events and integrations, the operators' routes and their token, the signature check, CORS,
 * and the one place where exceptions become HTTP answers.
 */
package com.rainforestqa.integrations.host.http;
