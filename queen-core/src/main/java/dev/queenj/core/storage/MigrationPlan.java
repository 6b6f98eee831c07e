package dev.queenj.core.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a start-up does to the schema, decided from the shipped scripts and the versions the database records (with
 * their checksums, null where an earlier build recorded none) before anything is written: scripts whose checksum is
 * to be recorded, scripts to apply in order, or an {@link IncompatibleSchemaException}.
 */
record MigrationPlan(List<MigrationScript> unrecorded, List<MigrationScript> missing) {
  /** As many hex digits of a checksum as a message shows: enough to tell two apart, as short git hashes do. */
  private static final int SHOWN_CHECKSUM_DIGITS = 12;

  static MigrationPlan of(List<MigrationScript> shipped, Map<String, String> applied) {
    Set<String> known = shipped.stream().map(MigrationScript::name).collect(Collectors.toSet());
    List<String> unknown = applied.keySet().stream().filter(version -> !known.contains(version)).sorted().toList();
    if (!unknown.isEmpty()) {
      // Checked first: a newer build is the likelier cause of anything else found wrong here as well.
      throw new IncompatibleSchemaException("this database has schema migrations this Queen-J build does not know ("
          + String.join(", ", unknown) + "; the newest this build knows is " + shipped.get(shipped.size() - 1).name()
          + "): a newer Queen-J version upgraded it; run that version or a newer one");
    }
    List<MigrationScript> unrecorded = new ArrayList<>();
    List<MigrationScript> missing = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (MigrationScript script : shipped) {
      if (!applied.containsKey(script.name())) {
        missing.add(script);
        continue;
      }
      String stored = applied.get(script.name());
      if (stored == null) {
        unrecorded.add(script);
      } else if (!stored.equals(script.checksum())) {
        changed.add(script.name() + " (checksum " + shown(stored) + " stored, " + shown(script.checksum())
            + " shipped)");
      }
    }
    if (!changed.isEmpty()) {
      throw new IncompatibleSchemaException("schema migration " + String.join(", ", changed)
          + (changed.size() == 1 ? " was changed after it was" : " were changed after they were")
          + " applied to this database; restore the script as it was applied and put schema changes in a new one");
    }
    return new MigrationPlan(List.copyOf(unrecorded), List.copyOf(missing));
  }

  private static String shown(String checksum) {
    return checksum.substring(0, Math.min(SHOWN_CHECKSUM_DIGITS, checksum.length()));
  }
}
