package io.floorgate.gateway.admin;

/** Checks an admin's user name and password. Implementations compare in constant time. */
@FunctionalInterface
public interface Credentials {
  /** True when {@code password} is {@code user}'s. */
  boolean verify(String user, char[] password);

  /** No users: every request is refused. */
  Credentials NONE = (user, password) -> false;
}
