package io.hookwire.core;

import java.time.Instant;

public record Account(String id, String name, Instant created) {}
