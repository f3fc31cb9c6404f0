/** JMH benchmarks of jpeer's per-packet paths, beside reference implementations in the same run. */
package io.github.jpeer.benchmarks;
