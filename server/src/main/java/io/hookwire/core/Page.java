package io.hookwire.core;

import java.util.List;

/** One page of a list and the total across all pages, as Oktopost's list responses carry it. */
public record Page<T>(List<T> items, long total) {}
