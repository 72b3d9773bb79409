using FunctionsPortal.Vendors;

namespace FunctionsPortal.Tests.Vendors;

public sealed class CorporateNumberTests
{
    [Fact]
    public void TheNationalTaxAgencysOwnNumberIsValid()
    {
        // 国税庁's published corporate number; its check digit 7 follows the NTA rule.
        Assert.True(CorporateNumber.IsValid("7000012050002"));
        Assert.Equal(7, CorporateNumber.CheckDigit("000012050002"));
    }

    [Theory]
    [InlineData("8000012050002")]
    [InlineData("700001205000")]
    [InlineData("70000120500021")]
    [InlineData("7000O12050002")]
    [InlineData(null)]
    public void WrongCheckDigitLengthOrCharactersAreInvalid(string? value) => Assert.False(CorporateNumber.IsValid(value));

    [Fact]
    public void CompletedNumbersAreValid() => Assert.True(CorporateNumber.IsValid(CorporateNumber.Complete("123456789012")));
}
