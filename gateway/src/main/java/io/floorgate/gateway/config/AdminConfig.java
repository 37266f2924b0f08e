package io.floorgate.gateway.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The admin HTTP API.
 *
 * @param enabled whether it listens at all
 * @param host the address it binds ({@code 127.0.0.1} by default: loopback only)
 * @param port its port; 0 binds any free port (logged)
 * @param passwordFile users and password hashes (mosquitto_passwd format); without it every
 *     {@code /api} request is refused
 */
public record AdminConfig(boolean enabled, String host, int port, Optional<Path> passwordFile) {}
