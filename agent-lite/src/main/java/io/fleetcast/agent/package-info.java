/**
 * agent-lite, the Fleetcast reference agent.
 *
 * <p>Programmatic use (tests, load tests, embedding):
 * <pre>{@code
 * AgentLite agent = new AgentLite(vertx, new AgentOptions()
 *     .stateDir(dir)
 *     .gatewayUrl("http://127.0.0.1:8080").enrollmentToken(token)      // or:
 *     // .agentId(id).agentSecret(secret).nodeUrls(List.of("ws://127.0.0.1:8081/agent/v1"))
 *     .dev(true));
 * agent.addListener(new AgentListener() { ... });
 * agent.start();            // Future<Void>: credentials ready, connecting has begun
 * agent.connected();        // true between welcome and disconnect
 * agent.executedTaskIds();  // ids whose kind started, in order: a repeat would be a double run
 * agent.stop();             // Future<Void>
 * }</pre>
 *
 * <p>Packages: {@code config} (options, state dir), {@code enroll} (enrollment, bootstrap,
 * credentials), {@code connection} (WebSocket loop, back-off, TLS pinning), {@code facts},
 * {@code task} (dedupe, verification, consent, the task manager), {@code task.kinds} (exec,
 * install, service, power, inventory), {@code results} (durable results until acknowledged),
 * {@code wake} (Wake-on-LAN relay), {@code os} (OS actions and consent prompts behind
 * interfaces). See agent-lite/README.md.
 */
package io.fleetcast.agent;
