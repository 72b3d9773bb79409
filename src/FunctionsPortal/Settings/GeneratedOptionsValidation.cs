using Microsoft.Extensions.Options;

namespace FunctionsPortal.Settings;

public static class GeneratedOptionsValidation
{
    /// <summary>
    /// Validates a settings section with a validator the Options source generator wrote (<c>[OptionsValidator]</c>): the
    /// same DataAnnotations rules and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/> checks as
    /// <c>ValidateDataAnnotations</c>, without reflecting over the type and its attributes on a cold instance's way to
    /// its first answer (decision 025).
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateWith<TOptions>(this OptionsBuilder<TOptions> options, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Services.AddSingleton(validator);
        return options;
    }
}
