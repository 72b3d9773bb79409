using System.ComponentModel.DataAnnotations;

namespace FunctionsPortal.Settings;

/// <summary>
/// <see cref="RangeAttribute"/> for settings. The Options source generator swaps a plain <c>[Range]</c> for a copy
/// of its own that drops <c>ErrorMessage</c> (dotnet/runtime#123137), and our messages tell the operator which key
/// to fix and why; a subclass is used as written, so its message is kept.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class SettingRangeAttribute : RangeAttribute
{
    public SettingRangeAttribute(int minimum, int maximum)
        : base(minimum, maximum)
    {
    }

    public SettingRangeAttribute(double minimum, double maximum)
        : base(minimum, maximum)
    {
    }

    public SettingRangeAttribute(Type type, string minimum, string maximum)
        : base(type, minimum, maximum)
    {
    }
}
