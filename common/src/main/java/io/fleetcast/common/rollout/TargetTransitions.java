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

  /**
   * (new) -> pending or dispatched: resolves one chunk of a rollout's targets ($1), up to $10
   * agents the selector names ({@code selector}: its SQL over agents {@code a}, parameters $2-$6)
   * and enrolled by the rollout's resolve_until, by id after the cursor $9 ($7: live nodes). Phase
   * $8 = 0 takes only agents online on a live node (online first); phase 1 every agent not yet a
   * target. The first $12 of the chunk join wave 0, and of those up to $13 whose agent is online on
   * a live node are inserted dispatched: claimed as the claim above would, so their frame may leave
   * once this commits, with no second write. Ordinals continue from $11. Idempotent: a target already
   * resolved is left alone. Returns each inserted target (agent_id, state, node_id), then one row with
   * the chunk's last agent id and how many agents it picked.
   */
  public static String resolveChunk(String selector, int phase) {
    // one statement per phase, so that the online-only phase names a.online as a plain conjunct:
    // the planner then walks the partial index of online agents in id order (V13) and stops at
    // the chunk's limit. Phase 0 written as "$8 = 1 OR COALESCE(online ...)" left it guessing the
    // share of online agents from statistics taken while they were offline; it sorted the whole
    // table for every chunk (a 100,000-agent rollout: 20 scans of 80 MB, 50-500 ms each)
    String phaseFilter = phase == 0
        ? "AND $8::int = 0 AND a.online AND ($7::text[] IS NULL OR a.node_id = ANY($7::text[]))"
        // under an OR the sub-select stays a per-row probe of rollout_targets' primary key; as a plain
        // NOT EXISTS it became an anti join planned from estimates, and with the agents estimated at
        // one row a nested loop over sequential scans of rollout_targets ran for minutes
        : "AND $8::int = 1 AND ($8::int = 0 OR NOT EXISTS (SELECT 1 FROM rollout_targets x WHERE x.rollout_id = $1 "
            + "AND x.agent_id = a.id))";
    // the inserted rows' node ids are looked up by primary key (the statement's one snapshot: the
    // values pick read), not joined back to num: with the pick estimated at one row, as after a
    // connect storm, that join became a nested loop over chunk x chunk rows (~1 s for 5,000)
    // the cursor as an index condition, also in a generic plan ("$9 IS NULL OR a.id > $9" was a
    // filter: every chunk walked the index from its start). No agent has the nil UUID: ids are random.
    String claimed = "n.rn <= $12 AND n.live AND n.lrn <= $13";
    return SqlStates.targets("""
        WITH pick AS (
          SELECT a.id, a.node_id, """ + heldByLiveNode(7) + """
         AS live
          FROM agents a
          WHERE """ + selector + """

            AND a.enrolled_at <= (SELECT r.resolve_until FROM rollouts r WHERE r.id = $1)
            AND a.id > COALESCE($9::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
            PHASE
          ORDER BY a.id LIMIT $10
        ), num AS (
          SELECT p.*, row_number() OVER (ORDER BY p.id) AS rn,
                 row_number() OVER (PARTITION BY p.live ORDER BY p.id) AS lrn
          FROM pick p
        ), ins AS (
          INSERT INTO rollout_targets (rollout_id, agent_id, ordinal, wave, state, dispatched_at, attempts)
          SELECT $1, n.id, $11::int + n.rn::int - 1, CASE WHEN n.rn <= $12 THEN 0 END,
                 CASE WHEN CLAIMED THEN {dispatched} ELSE {pending} END,
                 CASE WHEN CLAIMED THEN now() END,
                 CASE WHEN CLAIMED THEN 1 ELSE 0 END
          FROM num n
          ON CONFLICT (rollout_id, agent_id) DO NOTHING
          RETURNING agent_id, state
        )
        SELECT ins.agent_id, ins.state, (SELECT a.node_id FROM agents a WHERE a.id = ins.agent_id),
               NULL::uuid AS last, NULL::int AS picked
        FROM ins
        UNION ALL
        SELECT NULL::uuid, NULL::text, NULL::text, (SELECT id FROM pick ORDER BY id DESC LIMIT 1),
               (SELECT count(*)::int FROM pick)""".replace("CLAIMED", claimed).replace("PHASE", phaseFilter));
  }

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
                 -- a scalar probe (true or NULL), never a hashed EXISTS over the whole results table
                 OR (SELECT true FROM results x WHERE x.task_id = r.task_id AND x.agent_id = r.agent_id LIMIT 1),
                 false) AS sent
        FROM r
        JOIN tasks k ON k.id = r.task_id
        JOIN rollouts ro ON ro.id = k.rollout_id
        -- one primary-key probe per result: LIMIT keeps the subquery from being flattened into a
        -- join the planner may run as a hash of the whole table (measured: a seq scan and hash of
        -- 40,000 targets, 26 of a batch's 43 ms, for 476 results; the probes take ~1 ms)
        LEFT JOIN LATERAL (
          SELECT t0.agent_id, t0.step, t0.state, t0.next_step_ready, t0.dispatched_at
          FROM rollout_targets t0
          WHERE t0.rollout_id = k.rollout_id AND t0.agent_id = r.agent_id
          LIMIT 1
        ) t ON true
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
