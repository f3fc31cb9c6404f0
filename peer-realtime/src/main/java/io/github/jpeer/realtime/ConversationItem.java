package io.github.jpeer.realtime;

import java.util.Map;

/**
 * An item of the conversation, as the {@code conversation.item.*} events and {@code response.done}
 * carry it: a message, a function call or a function call's output. Members that the item does not
 * have are null (a message has no {@code name}; a function call has no {@code role}).
 *
 * @param id the item's id ({@code item.id})
 * @param type {@code message}, {@code function_call} or {@code function_call_output} (others may
 *     come)
 * @param role for a message: {@code user}, {@code assistant} or {@code system}
 * @param status {@code completed}, {@code incomplete} or {@code in_progress}
 * @param name for a function call: the function's name
 * @param callId for a function call and its output: the {@code call_id} that pairs them
 * @param arguments for a function call: its arguments, a JSON object as a string (as the model
 *     wrote it: it may be incomplete or not JSON at all)
 * @param output for a function call output: what the application answered
 */
public record ConversationItem(
    String id,
    String type,
    String role,
    String status,
    String name,
    String callId,
    String arguments,
    String output) {

  /** An item whose members are all absent (an event without an {@code item}). */
  static final ConversationItem ABSENT =
      new ConversationItem(null, null, null, null, null, null, null, null);

  /** Whether this item is a function call (type {@code function_call}). */
  public boolean isFunctionCall() {
    return "function_call".equals(type);
  }

  static ConversationItem of(Map<String, Object> item) {
    return new ConversationItem(
        Fields.string(item, "id"),
        Fields.string(item, "type"),
        Fields.string(item, "role"),
        Fields.string(item, "status"),
        Fields.string(item, "name"),
        Fields.string(item, "call_id"),
        Fields.string(item, "arguments"),
        Fields.string(item, "output"));
  }
}
