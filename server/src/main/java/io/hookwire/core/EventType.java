package io.hookwire.core;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The 19 event types of the API reference, in its order and with its groups and descriptions. */
public enum EventType {
  newAdvocacyMessage("Advocacy", "Triggers when a new message is added to the advocacy board"),
  newAdvocacyStory("Advocacy", "Triggers when a new story is added to the advocacy board"),
  newAdvocacyTopic("Advocacy", "Triggers when a new topic is added to the advocacy board"),
  postCreated("Publishing", "Triggers when a user creates a new post"),
  postModified("Publishing", "Triggers when a user updates a scheduled post"),
  postDeleted("Publishing", "Triggers when a user deletes a scheduled post"),
  postSent("Publishing", "Triggers when a post is published to social media"),
  newConversation("Engagement", "Triggers when a new conversation appears in your inbox"),
  conversationUpdated(
      "Engagement", "Triggers when new comments or replies are added to an existing conversation"),
  conversationStatusUpdated("Engagement", "Triggers when a conversation status changes"),
  newNoteOnConversation("Engagement", "Triggers when a note is added to a conversation"),
  newAssignment("Engagement", "Triggers when a conversation is assigned to a user"),
  newLead("Lead & Conversion", "Triggers when a new lead is captured"),
  newLeadActivity("Lead & Conversion", "Triggers when new social activity is detected for a lead"),
  newConversion("Lead & Conversion", "Triggers when a social conversion is captured"),
  newApprovalItem("Workflow", "Triggers when posts or messages are sent to approval"),
  approvalItemApproved("Workflow", "Triggers when posts or messages are approved"),
  approvalItemRejected("Workflow", "Triggers when posts or messages are rejected"),
  newCampaign("Other", "Triggers when a new campaign is created");

  private static final Map<String, EventType> BY_NAME =
      Arrays.stream(values()).collect(Collectors.toMap(Enum::name, Function.identity()));

  private final String group;
  private final String description;

  EventType(String group, String description) {
    this.group = group;
    this.description = description;
  }

  public String group() {
    return group;
  }

  public String description() {
    return description;
  }

  /** Exact, case-sensitive lookup: the API names events exactly as the reference spells them. */
  public static Optional<EventType> parse(String name) {
    return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
  }
}
