"""A chat-support bot: answers customer questions with an LLM and records feedback."""
