package io.nodb.tools.scenario;

import io.nodb.controllers.Climate;
import io.nodb.controllers.Controllers;
import io.nodb.controllers.Landuse;
import io.nodb.controllers.Ron;
import io.nodb.controllers.Watershed;
import io.nodb.store.ControllerType;
import io.nodb.store.NoDbBase;
import io.nodb.store.NoDbStore;
import io.nodb.testing.check.HoldRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * {@code rapid-sequential}: profile playback. Each player (thread, in each process) replays a run
 * build back to back with no pause: set the outlet, abstract the watershed (300 hillslopes),
 * rebuild landuse for them, parse ten years of daily climate records, enable a module; then again.
 * Every step is a heavy locked operation of a real controller (called inside its {@code lock()}
 * scope, which the controller's own {@code locked()} joins, so the critical section is measured).
 * The Python original failed such playbacks with "locked" errors or 1 s sleeps; here each request
 * must succeed at once. Checks: all succeed, no overlap per lock, fences in order, every commit
 * counted in the files' versions and in landuse's build counter (no lost update).
 */
final class RapidSequential implements Scenario {

  private static final int HILLSLOPES = 300;
  private static final List<String> CLIMATE_INPUT = climateInput(10);

  @Override
  public String describe(ScenarioConfig c) {
    return String.format(
        Locale.ROOT,
        "%d process(es) x %d player(s) x %d back-to-back operations (outlet, abstraction, landuse"
            + " rebuild, climate parse, module) on real controllers, hold %d ms",
        c.processes(),
        c.threads(),
        c.requests(),
        c.hold().toMillis());
  }

  @Override
  public List<Invariant> run(ScenarioContext ctx) throws Exception {
    ScenarioConfig c = ctx.config();
    Map<String, Long> versionsBefore = versions(ctx);
    int buildsBefore = ctx.store().ignoreLock(Landuse.class, ctx.runDir()).state().builds;
    ctx.step("versions before: %s, landuse builds %d", versionsBefore, buildsBefore);
    if (c.processes() == 1) {
      work(
          ctx.store(), ctx.runDir(), c.threads(), c.requests(), c.hold(), ctx.recorder(), () -> {});
    } else {
      ctx.step("%d worker JVMs play back at once", c.processes());
      ScenarioWorker.runAll(ThunderingHerd.workerArgs("rapid", ctx), ctx.recorder());
    }
    Map<String, Long> versionsAfter = versions(ctx);
    int buildsAfter = ctx.store().ignoreLock(Landuse.class, ctx.runDir()).state().builds;
    Map<String, Long> commits = new TreeMap<>();
    for (HoldRecord h : ctx.recorder().holds()) {
      commits.merge(h.key(), 1L, Long::sum);
    }
    long lost = 0;
    for (Map.Entry<String, Long> e : versionsAfter.entrySet()) {
      long counted = e.getValue() - versionsBefore.get(e.getKey());
      lost += Math.abs(commits.getOrDefault(e.getKey(), 0L) - counted);
    }
    lost += Math.abs(commits.getOrDefault("landuse.nodb", 0L) - (buildsAfter - buildsBefore));
    ctx.step(
        "versions after: %s, landuse builds %d; commits per file: %s",
        versionsAfter, buildsAfter, commits);
    long total = (long) c.processes() * c.threads() * c.requests();
    return ThunderingHerd.commonInvariants(ctx.recorder(), total, lost);
  }

  private static Map<String, Long> versions(ScenarioContext ctx) {
    Map<String, Long> m = new TreeMap<>();
    for (ControllerType<?, ?> type : Controllers.ALL) {
      NoDbBase<?> c = ctx.store().ignoreLock(type.controllerClass(), ctx.runDir());
      m.put(c.lockKey().name(), c.version());
    }
    return m;
  }

  /**
   * Plays the profile back in this JVM on the kit's {@link
   * io.nodb.testing.sim.LockContentionSimulator}: each player makes its operations in order on its
   * own thread.
   *
   * @param store the store
   * @param runDir the run
   * @param players concurrent players
   * @param requests operations per player
   * @param hold extra simulated work per operation
   * @param rec where to record
   * @param beforeGo runs when every player is ready, before they start
   * @throws IllegalStateException if a player fails unexpectedly (not a recorded outcome)
   */
  static void work(
      NoDbStore store,
      Path runDir,
      int players,
      int requests,
      Duration hold,
      Recorder rec,
      Runnable beforeGo) {
    Ron ron = store.getInstance(Ron.class, runDir);
    Watershed watershed = store.getInstance(Watershed.class, runDir);
    Landuse landuse = store.getInstance(Landuse.class, runDir);
    Climate climate = store.getInstance(Climate.class, runDir);
    List<List<String>> hills = new ArrayList<>(); // per player: what its last abstraction made
    for (int p = 0; p < players; p++) {
      hills.add(new ArrayList<>());
    }
    Players.run(
        players,
        requests,
        beforeGo,
        (player, op) -> {
          List<String> mine = hills.get(player);
          return switch (op % 5) {
            case 0 -> Critical.run(watershed, hold, rec, s -> watershed.setOutlet(-116.9, 46.7));
            case 1 ->
                Critical.run(
                    watershed,
                    hold,
                    rec,
                    s -> {
                      mine.clear();
                      mine.addAll(watershed.abstractWatershed(HILLSLOPES));
                    });
            case 2 ->
                Critical.run(
                    landuse,
                    hold,
                    rec,
                    s -> landuse.rebuild(mine, h -> 40 + Math.floorMod(h.hashCode(), 5)));
            case 3 -> Critical.run(climate, hold, rec, s -> climate.parseInputs(CLIMATE_INPUT));
            default -> Critical.run(ron, hold, rec, s -> ron.enableMod("mod-" + op % 3));
          };
        });
  }

  private static List<String> climateInput(int years) {
    return IntStream.range(0, years * 365)
        .mapToObj(
            d ->
                String.format(
                    Locale.ROOT,
                    "%d %d %d %.1f",
                    2000 + d / 365,
                    1 + (d % 365) / 31 % 12,
                    1 + d % 28,
                    (d * 7919 % 230) / 10.0))
        .toList();
  }
}
