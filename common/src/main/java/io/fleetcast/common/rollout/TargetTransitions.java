package io.fleetcast.common.rollout;

import java.util.Set;

/**
 * Every SQL statement that changes a rollout target's state ({@code rollout_targets.state}), in one
 * place, whichever module runs it: the gateway's engine and Wake-on-LAN (claim, redispatch, wake,
 * finish open targets) and the node's ack/progress and result batches. The stores execute them and
 * keep their other statements; {@code TargetTransitionsOwnerTest} keeps it that way. The state
 * machine is described in docs/architecture.md ("Target state machine").
 *
 * <p>States are written as {@code {pending}} (one state) or {@code {open}} (a group as an SQL list)
 * in the templates below and filled in from {@link TargetState} by {@link SqlStates#targets} once,
 * when the class loads.
 */
public final class TargetTransitions {
  private TargetTransitions() {}

  /**
   * SQL true (never null) when agent {@code a} is online on a live node ($n: the live node ids,
   * or NULL when unknown, which trusts {@code online} alone).
   */
  public static String heldByLiveNode(int param) {
    // padded: text blocks strip the trailing space of the SQL this is appended to
    return " COALESCE(a.online AND ($" + param + "::text[] IS NULL OR a.node_id = ANY($" + param + "::text[])), false) ";
  }

  // ---- gateway: dispatch ($1 rollout)

  /**
   * pending -> dispatched. Claims up to $2 released pending targets whose agents are online ($3: live
   * nodes), in wave order, before any frame leaves: acks and results are accepted only from targets a
   * step was dispatched to, so the record must come first. Rows a result write holds are skipped.
   * Returns agent_id, step, node_id.
   */
  public static final String CLAIM_PENDING = SqlStates.targets("""
      UPDATE rollout_targets t SET state = {dispatched}, dispatched_at = now(), attempts = t.attempts + 1
      FROM (SELECT t2.agent_id, a.node_id FROM rollout_targets t2 JOIN agents a ON a.id = t2.agent_id
            WHERE t2.rollout_id = $1 AND t2.state = {pending} AND t2.wave IS NOT NULL AND """ + heldByLiveNode(3) + """

            ORDER BY t2.ordinal LIMIT $2 FOR UPDATE OF t2 SKIP LOCKED) s
      WHERE t.rollout_id = $1 AND t.agent_id = s.agent_id
      RETURNING t.agent_id, t.step, s.node_id""");

  /** running with its next step due -> the next step dispatched (up to $2); clears the flag. Returns agent_id, step. */
  public static final String CLAIM_NEXT_STEPS = SqlStates.targets("""
      UPDATE rollout_targets t SET next_step_ready = false, dispatched_at = now()
      FROM (SELECT agent_id FROM rollout_targets WHERE rollout_id = $1 AND next_step_ready
            AND state = {running} LIMIT $2 FOR UPDATE SKIP LOCKED) s
      WHERE t.rollout_id = $1 AND t.agent_id = s.agent_id
      RETURNING t.agent_id, t.step""");

  /**
   * dispatched -> dispatched again: targets dispatched longer ago than $2 seconds without an ack,
   * whose agent is online ($3: live nodes), to send again. Returns agent_id, step.
   */
  public static final String REDISPATCH_STALE = SqlStates.targets("""
      UPDATE rollout_targets t SET dispatched_at = now(), attempts = attempts + 1
      FROM agents a
      WHERE t.rollout_id = $1 AND a.id = t.agent_id AND """ + heldByLiveNode(3) + """
       AND t.state = {dispatched}
        AND t.dispatched_at < now() - make_interval(secs => $2)
      RETURNING t.agent_id, t.step""");

  /** dispatched -> pending, or running mid-job -> next step due again: the frame could not be delivered ($2: agents). */
  public static final String UNDELIVERABLE = SqlStates.targets("""
      UPDATE rollout_targets SET
        state = CASE WHEN state = {dispatched} THEN {pending} ELSE state END,
        next_step_ready = CASE WHEN state = {running} THEN true ELSE next_step_ready END,
        dispatched_at = NULL
      WHERE rollout_id = $1 AND agent_id = ANY($2::uuid[]) AND state IN ({dispatched}, {running})""");

  /** Open targets -> $2 (cancelled, expired) with reason $3. Returns agent_id, step and the state it was in. */
  public static final String FINISH_OPEN = finish(TargetState.OPEN);

  /** Targets not handed out yet -> $2 (skipped on a halt) with reason $3; in-flight ones finish on their own. */
  public static final String FINISH_NOT_HANDED_OUT = finish(TargetState.NOT_HANDED_OUT);

  private static String finish(Set<TargetState> which) {
    return """
        WITH old AS (SELECT agent_id, state AS was FROM rollout_targets WHERE rollout_id = $1 AND state IN """
        + SqlStates.list(which) + """
         FOR UPDATE)
        UPDATE rollout_targets t SET state = $2, reason = $3, finished_at = now(), next_step_ready = false
        FROM old WHERE t.rollout_id = $1 AND t.agent_id = old.agent_id
        RETURNING t.agent_id, t.step, old.was""";
  }

  // ---- gateway: Wake-on-LAN

  /** pending -> waking for $2 (agents still offline) of rollout $1. Returns agent_id. */
  public static final String MARK_WAKING = SqlStates.targets("""
      UPDATE rollout_targets t SET state = {waking}, wake_sent_at = now(),
        reason = 'wake-up sent; waiting for the machine to connect'
      FROM agents a
      WHERE t.rollout_id = $1 AND t.agent_id = ANY($2::uuid[]) AND t.state = {pending}
        AND a.id = t.agent_id AND NOT a.online
      RETURNING t.agent_id""");

  /** waking -> pending: agents $1 connected, in rollouts $2 drives. Returns rollout_id, agent_id. */
  public static final String WAKE_CONNECTED = SqlStates.targets("""
      UPDATE rollout_targets t SET state = {pending}, reason = NULL
      FROM rollouts r
      WHERE r.id = t.rollout_id AND r.owner = $2 AND t.agent_id = ANY($1::uuid[]) AND t.state = {waking}
      RETURNING t.rollout_id, t.agent_id""");

  /**
   * waking -> pending in rollouts $1 drives: the agent is online (a connect raced with the marking) or
   * waited longer than $2 seconds. Returns rollout_id, agent_id, connected.
   */
  public static final String WAKE_SWEEP = SqlStates.targets("""
      WITH due AS (
        SELECT t.rollout_id, t.agent_id,
               EXISTS (SELECT 1 FROM agents a WHERE a.id = t.agent_id AND a.online) AS connected
        FROM rollout_targets t JOIN rollouts r ON r.id = t.rollout_id
        WHERE r.owner = $1 AND t.state = {waking}
          AND (t.wake_sent_at < now() - make_interval(secs => $2::int)
               OR EXISTS (SELECT 1 FROM agents a WHERE a.id = t.agent_id AND a.online))
        FOR UPDATE OF t SKIP LOCKED)
      UPDATE rollout_targets t SET state = {pending},
        reason = CASE WHEN due.connected THEN NULL
                      ELSE format('no connection within %s s of the wake-up; waits as an offline target', $2::int) END
      FROM due
      WHERE t.rollout_id = due.rollout_id AND t.agent_id = due.agent_id AND t.state = {waking}
      RETURNING t.rollout_id, t.agent_id, due.connected""");

  // ---- node: acks, progress and results (the hot path: one statement per batch)

  /**
   * dispatched -> acked, dispatched/acked -> running, running -> running with a new percent, for a batch
   * ($1 tasks, $2 agents, $3 running, $4 percent). Only a target the step was dispatched to moves.
   * Rows another transaction holds are skipped, not waited for: that is a result batch of the
   * same agents (ack and result travel back to back), which moves the target past acked anyway.
   * Waiting instead deadlocked against result batches that lock the same rows in another order.
   * An ack skipped on a row locked for another reason only costs a redispatch, which the agent
   * answers from its stored result. The second part counts reports for a step that was never
   * dispatched to the reporting target (refused). Returns rollout_id, refused, the state before.
   */
  public static final String ACK_OR_PROGRESS = SqlStates.targets("""
      WITH a AS (
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::boolean[], $4::smallint[]) AS a(task_id, agent_id, running, percent)
      ), l AS (
        SELECT t2.rollout_id, t2.agent_id, a.running, a.percent, t2.state AS before
        FROM a
        JOIN tasks k ON k.id = a.task_id
        JOIN rollout_targets t2 ON t2.rollout_id = k.rollout_id AND t2.agent_id = a.agent_id AND t2.step = k.step
        WHERE NOT t2.next_step_ready AND (t2.state = {dispatched} OR (a.running AND t2.state = {acked})
                                          OR (a.running AND t2.state = {running} AND a.percent IS NOT NULL))
        FOR UPDATE OF t2 SKIP LOCKED
      ), upd AS (
        UPDATE rollout_targets t
        SET state = CASE WHEN l.running THEN {running} ELSE {acked} END,
            acked_at = COALESCE(t.acked_at, now()),
            progress = COALESCE(l.percent, t.progress)
        FROM l
        WHERE t.rollout_id = l.rollout_id AND t.agent_id = l.agent_id
        RETURNING t.rollout_id, l.before
      )
      SELECT rollout_id, false AS refused, before FROM upd
      UNION ALL
      SELECT NULL::uuid, true, NULL::text
      FROM a
      JOIN tasks k ON k.id = a.task_id
      JOIN rollout_targets t3 ON t3.rollout_id = k.rollout_id AND t3.agent_id = a.agent_id AND t3.step = k.step
      WHERE t3.state IN {notHandedOut} OR (t3.state = {running} AND t3.next_step_ready)
      """);

  /**
   * A batch of results in ONE statement ($1 index, $2 task, $3 agent, $4 status, $5 exit code, $6 output,
   * $7 started, $8 finished, $9 node, $10 error): keeps only results for tasks the agent was really
   * sent, inserts them once per (task, agent) and moves each target along its job: running with the
   * next step due, or its final state (the first step status that was not succeeded, else succeeded)
   * with a reason. Returns (idx, inserted: null when refused) per kept or refused row, then the
   * rollouts whose targets changed.
   */
  public static final String RESULT_BATCH = SqlStates.targets("""
      WITH r AS (
        SELECT * FROM unnest($1::int[], $2::uuid[], $3::uuid[], $4::text[], $5::int[], $6::text[],
                             $7::timestamptz[], $8::timestamptz[], $10::text[])
          AS r(idx, task_id, agent_id, status, exit_code, output, started_at, finished_at, error)
      ), c AS (
        -- sent: this step was dispatched to this agent (recorded before the frame left), an earlier
        -- step of its job, or the result is already stored (a duplicate). A target whose step was
        -- never dispatched to it (not yet released, waiting for its wave, skipped) is refused.
        SELECT r.*, k.rollout_id, k.step, k.continue_on, ro.step_count, (t.agent_id IS NOT NULL) AS targeted,
               COALESCE(t.step > k.step
                 OR (t.step = k.step AND (
                       (t.state IN {withAgent} AND NOT t.next_step_ready)
                       OR (t.state NOT IN {open}
                           AND t.dispatched_at IS NOT NULL)))
                 OR EXISTS (SELECT 1 FROM results x WHERE x.task_id = r.task_id AND x.agent_id = r.agent_id),
                 false) AS sent
        FROM r
        JOIN tasks k ON k.id = r.task_id
        JOIN rollouts ro ON ro.id = k.rollout_id
        LEFT JOIN rollout_targets t ON t.rollout_id = k.rollout_id AND t.agent_id = r.agent_id
      ), v AS (
        SELECT * FROM c WHERE sent
      ), ins AS (
        INSERT INTO results (task_id, agent_id, rollout_id, step, status, exit_code, output, started_at, finished_at,
                             node_id, error)
        SELECT task_id, agent_id, rollout_id, step, status, exit_code, output, started_at, finished_at, $9, error FROM v
        ON CONFLICT (task_id, agent_id) DO NOTHING
        RETURNING task_id, agent_id
      ), d AS (
        SELECT v.*, (v.step + 1 >= v.step_count
                     OR NOT (v.continue_on = 'always'
                             OR (v.continue_on = 'success' AND v.status = {succeeded})
                             OR (v.continue_on = 'failure' AND v.status <> {succeeded}))) AS final
        FROM v JOIN ins USING (task_id, agent_id)
      ), upd AS (
        UPDATE rollout_targets t SET
          state = CASE WHEN d.final THEN COALESCE(t.first_failure, d.status) ELSE {running} END,
          first_failure = COALESCE(t.first_failure, NULLIF(d.status, {succeeded})),
          -- the agent's error says why when no exit code does (hash mismatch, command not found, timeout)
          reason = CASE WHEN t.first_failure IS NOT NULL THEN t.reason
                        WHEN COALESCE(d.error, '') <> ''
                        THEN format('step %s/%s %s: %s', d.step + 1, d.step_count, d.status, left(d.error, 300))
                             || CASE WHEN d.exit_code IS NULL THEN '' ELSE format(' (exit code %s)', d.exit_code) END
                        ELSE format('step %s/%s %s (exit code %s)', d.step + 1, d.step_count, d.status,
                                    COALESCE(d.exit_code::text, 'none')) END,
          step = CASE WHEN d.final THEN t.step ELSE t.step + 1 END,
          next_step_ready = NOT d.final,
          finished_at = CASE WHEN d.final THEN now() END
        FROM d
        WHERE t.rollout_id = d.rollout_id AND t.agent_id = d.agent_id AND t.step = d.step
          AND t.state IN {open}
        RETURNING t.rollout_id
      )
      SELECT v.idx, (i.task_id IS NOT NULL) AS inserted, NULL::uuid AS rollout_id
        FROM v LEFT JOIN ins i USING (task_id, agent_id)
      UNION ALL
      -- refused: inserted is NULL
      SELECT c.idx, NULL::boolean, NULL::uuid FROM c WHERE c.targeted AND NOT c.sent
      UNION ALL
      SELECT DISTINCT NULL::int, NULL::boolean, rollout_id FROM upd
      """);
}
