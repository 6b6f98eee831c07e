package dev.queenj.core.trace;

import java.util.List;

/** One page of trace names and the number of all names. */
public record TraceNamePage(List<TraceName> names, long total) {}
