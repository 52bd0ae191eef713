"""Chats as subscribers: subscribing, their settings, and the topics they follow."""
