using Azure.Data.Tables;
using FunctionsPortal.Storage;
using FunctionsPortal.Surveys;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Subcontractors;

/// <summary>
/// Table "declarationquota": PartitionKey the declaring vendor; RowKey "link-{assignment key}" counts its declarations
/// through one survey and "day-{yyyy-MM-dd}" (Japan) those of one day. Both counters move in one ETag-guarded transaction,
/// so concurrent posts never exceed either limit.
/// </summary>
public sealed class DeclarationQuota(PortalStorage storage, IOptions<SubcontractorOptions> options, TimeProvider timeProvider)
{
    public const string TableName = "declarationquota";

    /// <summary>Concurrent posts of one vendor retry at once on a changed counter; this many collisions in a row is a fault.</summary>
    private const int MaxAttempts = 10;

    private TableClient Table => storage.GetTable(TableName);

    /// <summary>Takes one declaration from both allowances; false (nothing taken) when either is used up.</summary>
    public async Task<bool> TryTakeAsync(string vendorId, string assignmentKey, CancellationToken cancellationToken)
    {
        var day = timeProvider.GetUtcNow().ToOffset(SurveyLinks.Japan).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var counters = new[] { ("link-" + assignmentKey, options.Value.MaxDeclarationsPerLink), ("day-" + day, options.Value.MaxDeclarationsPerDay) };
        for (var attempt = 1; ; attempt++)
        {
            var actions = new List<TableTransactionAction>();
            foreach (var (rowKey, limit) in counters)
            {
                var row = await Table.GetEntityIfExistsAsync<TableEntity>(vendorId, rowKey, cancellationToken: cancellationToken);
                var count = row.HasValue ? row.Value!.GetInt32("Count") ?? 0 : 0;
                if (count >= limit)
                {
                    return false;
                }

                var next = new TableEntity(vendorId, rowKey) { ["Count"] = count + 1 };
                actions.Add(row.HasValue
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, next, row.Value!.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, next));
            }

            try
            {
                await Table.SubmitCheckedTransactionAsync(actions, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException exception) when (exception.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another post of this vendor moved a counter since it was read: read both again.
            }
        }
    }
}
