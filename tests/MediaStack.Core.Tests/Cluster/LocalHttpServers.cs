namespace MediaStack.Core.Tests.Cluster;

// Test classes that run an HttpListener on a port found by binding port 0 and releasing it.
// Run in parallel, two of them can be handed the same port and talk to each other's
// server; in one collection they run one after another.
[CollectionDefinition(nameof(LocalHttpServers), DisableParallelization = true)]
public sealed class LocalHttpServers;
