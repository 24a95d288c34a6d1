package io.fleetcast.agent.facts;

import io.fleetcast.protocol.Facts;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Fixed facts, changeable at run time: for tests, load tests and demos. */
public final class StaticFactsProvider implements FactsProvider {
  private final AtomicReference<Facts> facts;
  private final AtomicReference<List<String>> users;

  public StaticFactsProvider(Facts facts) {
    this.facts = new AtomicReference<>(facts);
    this.users = new AtomicReference<>(facts.users());
  }

  /** Loopback facts (subnet 127.0.0.0/8) for tests that must never touch a real network. */
  public static StaticFactsProvider loopback(String hostname) {
    return new StaticFactsProvider(new Facts(hostname, "TestOS 1.0", "x86_64", List.of("127.0.0.1"),
        List.of("02:00:00:00:00:01"), List.of("127.0.0.0/8"), List.of(), List.of()));
  }

  public void set(Facts facts) {
    this.facts.set(facts);
    this.users.set(facts.users());
  }

  public void setUsers(List<String> users) {
    this.users.set(List.copyOf(users));
    Facts f = facts.get();
    facts.set(new Facts(f.hostname(), f.os(), f.arch(), f.ips(), f.macs(), f.subnets(), f.tags(), users));
  }

  @Override
  public Facts collect() {
    return facts.get();
  }

  @Override
  public List<String> loggedOnUsers() {
    return users.get();
  }
}
