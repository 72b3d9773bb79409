using FunctionsPortal.Checklists;
using FunctionsPortal.RegistryProposals;
using FunctionsPortal.Responses;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>
/// A small checklist holding the scoping items (SCP-01..05, as the default checklists carry them from version 2) and one
/// status item, and surveys of one vendor answered and sealed with it: for tests of what scoping answers lead to.
/// </summary>
public static class ScopingScenario
{
    public const string ChecklistId = "scoping-probe";

    private static readonly ItemSource Source = new(["004"], null);

    private static readonly Finding Finding = new("process", new("確認する", "Check it"));

    public static ChecklistDefinition Checklist => new()
    {
        Id = ChecklistId,
        Version = 1,
        Kind = "annual",
        Title = new("範囲確認のテスト", "Scoping probe"),
        Description = new("範囲確認の設問のみ", "Only the scoping items"),
        Sections =
        [
            new("scoping", new("取引の範囲", "Scope"),
            [
                YesNo(ScopingItems.Subcontracts, "再委託していますか", "Do you subcontract?"),
                YesNo(ScopingItems.Overseas, "海外で保管・アクセスしていますか", "Stored or accessed abroad?"),
                TextIf(ScopingItems.Countries, ScopingItems.Overseas, "国名", "Countries"),
                YesNo(ScopingItems.Cloud, "クラウドサービスを利用していますか", "Cloud services?"),
                TextIf(ScopingItems.CloudServices, ScopingItems.Cloud, "サービス名", "Which services"),
            ]),
            new("basics", new("基本", "Basics"),
            [
                new ChecklistItem
                {
                    Id = "GOV-01", Text = new("規程がありますか", "A policy?"), Source = Source, AnswerType = AnswerTypes.Status, Weight = 1, Required = true,
                    Evidence = "none", Finding = Finding,
                },
            ]),
        ],
    };

    /// <summary>Imports the checklist into this app's library (once per app: its storage is its own).</summary>
    public static async Task EnsureChecklistAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var library = services.GetRequiredService<ChecklistLibrary>();
        if (await library.InfoAsync(ChecklistId, 1, cancellationToken) is null)
        {
            try
            {
                await library.CreateAsync(Checklist, "test", cancellationToken);
            }
            catch (ChecklistConflictException)
            {
                // Another test of this class imported it meanwhile: the same content.
            }
        }
    }

    /// <summary>A new survey of the vendor on the scoping checklist, with a working link.</summary>
    public static async Task<InvitedVendor> SurveyAsync(IServiceProvider services, string vendorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        await EnsureChecklistAsync(services, cancellationToken);
        var vendor = (await services.GetRequiredService<VendorRegistry>().RecordAsync(vendorId, cancellationToken))!;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var assignment = new Assignment
        {
            Cycle = "c" + Guid.NewGuid().ToString("N")[..8],
            VendorId = vendorId,
            Kind = SurveyKinds.Annual,
            ChecklistId = ChecklistId,
            ChecklistVersion = 1,
            DueOn = DateOnly.FromDateTime(now.UtcDateTime).AddDays(30),
            Status = AssignmentStatus.Invited,
            InvitedAt = now,
            RecipientEmail = vendor.Vendor.ResponsibleOfficer.Email,
            RecipientName = vendor.Vendor.ResponsibleOfficer.Name,
            CreatedAt = now,
        };
        await services.GetRequiredService<AssignmentStore>().CreateManyAsync([assignment], cancellationToken);
        return new InvitedVendor(await services.GetRequiredService<SurveyLinks>().IssueAsync(assignment.Key, cancellationToken), assignment, vendorId);
    }

    /// <summary>Answers the survey (GOV-01 ○ and the scoping answers given) and seals it as the vendor's submit would.</summary>
    public static async Task<SealOutcome> AnswerAndSealAsync(IServiceProvider services, InvitedVendor survey, IReadOnlyDictionary<string, ItemAnswer> scoping, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(survey);
        ArgumentNullException.ThrowIfNull(scoping);
        var answers = new Dictionary<string, ItemAnswer>(scoping, StringComparer.Ordinal) { ["GOV-01"] = new ItemAnswer { Status = StatusAnswers.Done } };
        await services.GetRequiredService<DraftStore>().UpdateAsync(survey.Assignment.Key, draft => draft with { Answers = answers }, cancellationToken);
        return await SurveyScenario.SealAsync(services, survey, cancellationToken);
    }

    public static ItemAnswer Yes => new() { Choices = [ScopingItems.Yes] };

    public static ItemAnswer No => new() { Choices = [ScopingItems.No] };

    public static ItemAnswer Text(string text) => new() { Text = text };

    private static ChecklistItem YesNo(string id, string ja, string en) => new()
    {
        Id = id, Text = new(ja, en), Source = Source, AnswerType = AnswerTypes.SingleChoice, Weight = 1, Required = true, Evidence = "none", Finding = Finding,
        Choices = [new(ScopingItems.Yes, new("はい", "Yes"), 1), new(ScopingItems.No, new("いいえ", "No"), 1)],
    };

    private static ChecklistItem TextIf(string id, string when, string ja, string en) => new()
    {
        Id = id, Text = new(ja, en), Source = Source, AnswerType = AnswerTypes.Text, Weight = 1, Required = true, Evidence = "none",
        Applicability = [new Condition { Answer = new AnswerCondition(when, [ScopingItems.Yes]) }],
    };
}
