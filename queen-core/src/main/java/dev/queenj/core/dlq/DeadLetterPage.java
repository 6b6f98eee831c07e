package dev.queenj.core.dlq;

import java.util.List;

/** One page of dead letters and how many match the filter in all. */
public record DeadLetterPage(List<DeadLetter> messages, long total) {}
