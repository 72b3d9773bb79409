using FunctionsPortal.RegistryProposals;

namespace FunctionsPortal.Tests.RegistryProposals;

/// <summary>The countries a vendor typed become ISO codes where they can; what cannot be read is kept as typed.</summary>
public sealed class CountryNamesTests
{
    [Fact]
    public void CodesAndJapaneseAndEnglishNamesBecomeCodesEachOnceInTheOrderNamed()
    {
        var (codes, unrecognised) = CountryNames.Parse("us, シンガポール、米国・Germany；United Kingdom\nIN");

        Assert.Equal(["US", "SG", "DE", "GB", "IN"], codes);
        Assert.Empty(unrecognised);
    }

    [Fact]
    public void ANameWithWhatIsThereInBracketsCountsByItsName()
    {
        var (codes, _) = CountryNames.Parse("米国（バックアップ）, India (support desk)");

        Assert.Equal(["US", "IN"], codes);
    }

    [Fact]
    public void WhatNamesNoCountryIsReturnedAsTypedAndEuIsNotTakenForACode()
    {
        var (codes, unrecognised) = CountryNames.Parse("EU, 東南アジア各国, ベトナム");

        Assert.Equal(["VN"], codes);
        Assert.Equal(["EU", "東南アジア各国"], unrecognised);
    }

    [Fact]
    public void NothingTypedIsNothingNamed()
    {
        var (codes, unrecognised) = CountryNames.Parse("  、 ");

        Assert.Empty(codes);
        Assert.Empty(unrecognised);
        Assert.Empty(CountryNames.Parse(null).Codes);
    }
}
