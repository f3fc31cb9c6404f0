package io.github.jpeer.agent;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Resolves the {@code .local} names of remote mDNS host candidates. The agent never blocks on the
 * answer: it looks at the returned stage on every {@link IceAgent#handleTimeout} / {@link
 * IceAgent#handleReceive} and uses the address once it is there, so a resolver may answer later
 * from any thread. A {@code null} address or a failed stage means "unresolvable": the candidate is
 * ignored and counted in {@link IceStats#unresolvedMdns()}.
 */
@FunctionalInterface
public interface MdnsResolver {
  /**
   * Starts resolving {@code hostname} (e.g. {@code 1f4712db-ea17-4bcf-a596-105139dfd8bf.local}).
   */
  CompletionStage<InetAddress> resolve(String hostname);

  /** A resolver that answers at once through {@code lookup} (which returns null if unknown). */
  static MdnsResolver of(Function<String, InetAddress> lookup) {
    return hostname -> {
      try {
        return CompletableFuture.completedFuture(lookup.apply(hostname));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    };
  }

  /** A resolver that resolves nothing (the default): every mDNS candidate is ignored. */
  static MdnsResolver none() {
    return hostname -> CompletableFuture.completedFuture(null);
  }
}
