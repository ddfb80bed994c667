package org.courier.operations;

/** A message waiting in a lane behind its head: its id, its place in the queue, which part of it (or ''), its state. */
public record HeldMessage(String messageId, long sequence, String part, String state) {
}
