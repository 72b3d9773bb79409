namespace FunctionsPortal.Vendors;

/// <summary>
/// Told after vendor rows were written: the vendors changed and the parents whose subcontractors changed. Lets what
/// other capabilities derive from a vendor (a vendor page's profile) be dropped on every instance.
/// </summary>
public interface IVendorChangeSink
{
    Task VendorsChangedAsync(IReadOnlyCollection<string> vendorIds, CancellationToken cancellationToken);
}
