/** Small helpers for reading streams the host does not control. */
package com.rainforestqa.integrations.host.io;
