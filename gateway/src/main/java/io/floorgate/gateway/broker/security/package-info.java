/**
 * Who may connect and what they may do, in the file formats edge admins know from Mosquitto:
 * {@link io.floorgate.gateway.broker.security.PasswordFile} ({@code mosquitto_passwd}), {@link
 * io.floorgate.gateway.broker.security.Acl} ({@code acl_file}), and the TLS material ({@link
 * io.floorgate.gateway.broker.security.TlsContexts}). Pure: nothing here knows Moquette; the
 * {@code broker} package applies it.
 */
@NullMarked
package io.floorgate.gateway.broker.security;

import org.jspecify.annotations.NullMarked;
