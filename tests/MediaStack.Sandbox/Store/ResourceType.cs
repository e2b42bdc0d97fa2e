namespace MediaStack.Sandbox.Store;

// One served resource: what discovery lists and what the store keeps apart.
public sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    string[] Verbs,
    string[] ShortNames,
    string[] Subresources,
    bool HasGeneration = false,
    bool OpenShiftOnly = false,
    bool Virtual = false)
{
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
    public string ApiVersion => GroupVersion;
    public string ListKind => Kind + "List";
    public string Qualified => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
    public string BasePath => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
    // The apps/v1 kinds that run a pod template.
    public bool IsWorkload => Kind is "Deployment" or "ReplicaSet" or "StatefulSet" or "DaemonSet";
    // Kinds whose status only controllers and the node write: a create or update cannot set it.
    public bool StatusOwnedByServer => IsWorkload || Kind == "Pod";
    public override string ToString() => Qualified;
}
