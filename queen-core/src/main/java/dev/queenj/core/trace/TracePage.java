package dev.queenj.core.trace;

import java.util.List;

/** One page of traces and the number of all that match. */
public record TracePage(List<Trace> traces, long total) {}
