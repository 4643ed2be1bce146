/**
 * JMH benchmarks. Build with {@code ./mvnw -pl benchmarks -am package -DskipTests} and run
 * {@code java -jar benchmarks/target/benchmarks.jar <regex> -prof gc}.
 */
package org.sluice.bench;
