package dev.queenj.core.streams;

import java.util.UUID;

/**
 * The outcome of registering a query: {@code conflict} when it exists with another config hash and no reset was
 * asked (nothing changed then, {@code queryId} is the existing one).
 */
public record Registration(UUID queryId, boolean fresh, boolean reset, boolean conflict) {}
