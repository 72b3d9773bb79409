namespace FunctionsPortal.Storage;

public enum StorageResourceKind
{
    Table,
    Container,
    Queue,
}

/// <summary>A table, container or queue a capability needs; created idempotently at start-up.</summary>
public sealed record StorageResource(StorageResourceKind Kind, string LogicalName);
