namespace FunctionsPortal.Vendors;

/// <summary>
/// Asked by <see cref="VendorRegistry.UpdateAsync"/> before a staff edit is stored: may refuse a lifecycle change (the
/// activation gate in Contracts/ does) by throwing <see cref="VendorValidationException"/>. An interface here so the
/// registry does not depend on the capabilities that decide.
/// </summary>
public interface ILifecycleGate
{
    Task ThrowIfRefusedAsync(string id, Vendor before, Vendor after, CancellationToken cancellationToken);
}
