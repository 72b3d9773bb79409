namespace FunctionsPortal.Surveys;

public static class SurveyKinds
{
    public const string Annual = "annual";
    public const string Interim = "interim";
    public const string DueDiligence = "due-diligence";
    public const string Termination = "termination";

    /// <summary>A subcontractor's handling method in writing (再委託先の取扱方法の書面), asked once it is approved.</summary>
    public const string HandlingMethod = "handling-method";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Annual, Interim, DueDiligence, Termination, HandlingMethod], StringComparer.Ordinal);

    /// <summary>Annual and interim are one family: at most one of them per vendor per plan period (decision 010).</summary>
    public static bool IsPeriodic(string kind) => kind is Annual or Interim;
}
