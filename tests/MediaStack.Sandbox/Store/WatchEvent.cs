using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Store;

// One change in the store. Old is the object before the change (null for ADDED).
public sealed record WatchEvent(string Type, ResourceType Resource, long Revision, JsonObject Object, JsonObject? Old);
