<?xml version="1.0" encoding="UTF-8"?>
<!-- Human view of a UBL-TR invoice (e-Fatura / e-Arşiv). XSLT 1.0, no external resources. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:inv="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
    exclude-result-prefixes="inv cac cbc">
  <xsl:output method="html" encoding="UTF-8" indent="yes"/>
  <!-- one summary row per tax type and rate, even when the document splits a rate into
       several TaxSubtotal rows (per-line rounding) -->
  <xsl:key name="tax-rate" match="/inv:Invoice/cac:TaxTotal/cac:TaxSubtotal"
           use="concat(cac:TaxCategory/cac:TaxScheme/cbc:TaxTypeCode, '|', cbc:Percent)"/>
  <xsl:template name="party">
    <xsl:param name="p"/>
    <b><xsl:value-of select="$p/cac:PartyName/cbc:Name"/>
      <xsl:value-of select="concat($p/cac:Person/cbc:FirstName, ' ', $p/cac:Person/cbc:FamilyName)"/></b><br/>
    <xsl:value-of select="$p/cac:PostalAddress/cbc:StreetName"/><br/>
    <xsl:value-of select="concat($p/cac:PostalAddress/cbc:CitySubdivisionName, ' / ', $p/cac:PostalAddress/cbc:CityName)"/><br/>
    <xsl:if test="$p/cac:PartyTaxScheme/cac:TaxScheme/cbc:Name">Vergi Dairesi: <xsl:value-of select="$p/cac:PartyTaxScheme/cac:TaxScheme/cbc:Name"/><br/></xsl:if>
    <xsl:for-each select="$p/cac:PartyIdentification/cbc:ID">
      <xsl:value-of select="concat(@schemeID, ': ', .)"/><br/>
    </xsl:for-each>
    <xsl:if test="$p/cac:PartyLegalEntity/cbc:CompanyID">Vergi No: <xsl:value-of select="$p/cac:PartyLegalEntity/cbc:CompanyID"/><br/></xsl:if>
  </xsl:template>
  <xsl:template match="/inv:Invoice">
    <html><head><meta charset="UTF-8"/><title><xsl:value-of select="cbc:ID"/></title>
      <style>body{font-family:Arial,sans-serif;font-size:12px}table{border-collapse:collapse;width:100%}
        td,th{border:1px solid #444;padding:3px}th{background:#eee}.r{text-align:right}
        .box{width:48%;display:inline-block;vertical-align:top}</style></head>
    <body>
      <div class="box"><xsl:call-template name="party"><xsl:with-param name="p" select="cac:AccountingSupplierParty/cac:Party"/></xsl:call-template></div>
      <div class="box">
        <h2><xsl:choose><xsl:when test="cbc:ProfileID='EARSIVFATURA'">e-Arşiv Fatura</xsl:when><xsl:otherwise>e-Fatura</xsl:otherwise></xsl:choose></h2>
        <table>
          <tr><th>Senaryo</th><td><xsl:value-of select="cbc:ProfileID"/></td></tr>
          <tr><th>Fatura Tipi</th><td><xsl:value-of select="cbc:InvoiceTypeCode"/></td></tr>
          <tr><th>Fatura No</th><td><xsl:value-of select="cbc:ID"/></td></tr>
          <tr><th>Fatura Tarihi</th><td><xsl:value-of select="concat(cbc:IssueDate, ' ', cbc:IssueTime)"/></td></tr>
          <tr><th>ETTN</th><td><xsl:value-of select="cbc:UUID"/></td></tr>
        </table>
      </div>
      <h3>SAYIN</h3>
      <xsl:call-template name="party"><xsl:with-param name="p" select="cac:AccountingCustomerParty/cac:Party"/></xsl:call-template>
      <xsl:if test="cac:BuyerCustomerParty">
        <h3>ALICI</h3>
        <xsl:call-template name="party"><xsl:with-param name="p" select="cac:BuyerCustomerParty/cac:Party"/></xsl:call-template>
      </xsl:if>
      <table>
        <tr><th>Sıra</th><th>Mal Hizmet</th><th>Miktar</th><th>Birim Fiyat</th><th>İskonto</th><th>KDV %</th><th>KDV</th><th>Tutar</th></tr>
        <xsl:for-each select="cac:InvoiceLine">
          <tr><td><xsl:value-of select="cbc:ID"/></td><td><xsl:value-of select="cac:Item/cbc:Name"/></td>
            <td class="r"><xsl:value-of select="concat(cbc:InvoicedQuantity, ' ', cbc:InvoicedQuantity/@unitCode)"/></td>
            <td class="r"><xsl:value-of select="cac:Price/cbc:PriceAmount"/></td>
            <td class="r"><xsl:value-of select="cac:AllowanceCharge/cbc:Amount"/></td>
            <td class="r"><xsl:value-of select="cac:TaxTotal/cac:TaxSubtotal/cbc:Percent"/></td>
            <td class="r"><xsl:value-of select="cac:TaxTotal/cbc:TaxAmount"/></td>
            <td class="r"><xsl:value-of select="cbc:LineExtensionAmount"/></td></tr>
        </xsl:for-each>
      </table>
      <table style="width:45%;margin-left:55%">
        <tr><th>Mal Hizmet Toplam</th><td class="r"><xsl:value-of select="cac:LegalMonetaryTotal/cbc:LineExtensionAmount"/></td></tr>
        <tr><th>Toplam İskonto</th><td class="r"><xsl:value-of select="cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount"/></td></tr>
        <xsl:for-each select="cac:TaxTotal/cac:TaxSubtotal[generate-id() = generate-id(key('tax-rate', concat(cac:TaxCategory/cac:TaxScheme/cbc:TaxTypeCode, '|', cbc:Percent))[1])]">
          <xsl:variable name="rate" select="key('tax-rate', concat(cac:TaxCategory/cac:TaxScheme/cbc:TaxTypeCode, '|', cbc:Percent))"/>
          <tr><th><xsl:value-of select="concat(cac:TaxCategory/cac:TaxScheme/cbc:Name, ' (%', cbc:Percent, ')')"/></th><td class="r"><xsl:value-of select="format-number(sum($rate/cbc:TaxAmount), '0.00')"/></td></tr>
        </xsl:for-each>
        <xsl:for-each select="cac:WithholdingTaxTotal/cac:TaxSubtotal">
          <tr><th><xsl:value-of select="concat('Tevkifat ', cac:TaxCategory/cac:TaxScheme/cbc:TaxTypeCode, ' (%', cbc:Percent, ')')"/></th><td class="r"><xsl:value-of select="cbc:TaxAmount"/></td></tr>
        </xsl:for-each>
        <tr><th>Vergiler Hariç Toplam</th><td class="r"><xsl:value-of select="cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount"/></td></tr>
        <tr><th>Vergiler Dahil Toplam</th><td class="r"><xsl:value-of select="cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"/></td></tr>
        <xsl:if test="cac:LegalMonetaryTotal/cbc:PayableRoundingAmount">
          <tr><th>Yuvarlama</th><td class="r"><xsl:value-of select="cac:LegalMonetaryTotal/cbc:PayableRoundingAmount"/></td></tr>
        </xsl:if>
        <tr><th>Ödenecek Tutar</th><td class="r"><xsl:value-of select="concat(cac:LegalMonetaryTotal/cbc:PayableAmount, ' ', cbc:DocumentCurrencyCode)"/></td></tr>
      </table>
      <xsl:for-each select="cbc:Note"><p><xsl:value-of select="."/></p></xsl:for-each>
    </body></html>
  </xsl:template>
</xsl:stylesheet>
