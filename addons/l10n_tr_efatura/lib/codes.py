"""GİB code lists the builder and the Odoo side need (UBL-TR Kod Listeleri, e-Fatura Paketi 29)."""

PROFILES = ("TEMELFATURA", "TICARIFATURA", "EARSIVFATURA", "IHRACAT")
INVOICE_TYPES = ("SATIS", "IADE", "TEVKIFAT", "ISTISNA", "IHRACKAYITLI", "OZELMATRAH")
# IADE is not allowed with TICARIFATURA (sch:InvoiceTypeCodeCheck-2)
IADE_PROFILES = ("TEMELFATURA", "EARSIVFATURA")
# types without an exemption reason on a 0 % KDV subtotal (sch:TaxExemptionReasonCheck-1)
NO_EXEMPTION_NEEDED_TYPES = ("IADE", "IHRACKAYITLI", "OZELMATRAH")
WITHHOLDING_TYPES = ("TEVKIFAT", "IADE")
# exemption code families and the invoice types each allows (sch:TaxExemptionReasonCodeCheck-3/4/5)
ISTISNA_EXEMPTION_CODES = frozenset(
    [
        "001",
        *(str(c) for c in range(101, 109)),
        "201",
        "202",
        "204",
        "205",
        "206",
        "207",
        "208",
        "209",
        *(str(c) for c in range(211, 222)),
        "223",
        *(str(c) for c in range(225, 243)),
        "250",
        *(str(c) for c in range(301, 345)),
        "350",
        "501",
    ]
)
OZELMATRAH_EXEMPTION_CODES = frozenset(str(code) for code in range(801, 813))
IHRACKAYITLI_EXEMPTION_CODES = frozenset(("701", "702", "703", "704"))
EXEMPTION_CODE_TYPES = (
    (ISTISNA_EXEMPTION_CODES, ("ISTISNA", "IADE", "IHRACKAYITLI", "SGK")),
    (OZELMATRAH_EXEMPTION_CODES, ("OZELMATRAH", "IADE", "SGK")),
    (IHRACKAYITLI_EXEMPTION_CODES, ("IHRACKAYITLI", "IADE", "SGK")),
)

TAX_TYPES = {
    "0015": "KDV",
    "0071": "ÖTV 1. Liste",
    "0073": "ÖTV 3. Liste",
    "0074": "ÖTV 4. Liste",
    "0075": "ÖTV 3A Liste",
    "0076": "ÖTV 3B Liste",
    "0077": "ÖTV 3C Liste",
    "0003": "GV Stopajı",
    "0011": "KV Stopajı",
    "4080": "ÖİV",
    "4081": "5035 ÖİV",
    "9015": "KDV Tevkifat",
    "1047": "Damga Vergisi",
    "8001": "Borsa Tescil Ücreti",
}

WITHHOLDING_CODES = {
    "601": (
        "Yapım işleri ile bu işlerle birlikte ifa edilen mühendislik-mimarlık ve "
        "etüt-proje hizmetleri"
    ),
    "602": "Etüt, plan-proje, danışmanlık, denetim ve benzeri hizmetler",
    "603": "Makine, teçhizat, demirbaş ve taşıtlara ait tadil, bakım ve onarım hizmetleri",
    "604": "Yemek servis hizmeti",
    "605": "Organizasyon hizmeti",
    "606": "İşgücü temin hizmetleri",
    "607": "Özel güvenlik hizmeti",
    "608": "Yapı denetim hizmetleri",
    "609": "Fason olarak yaptırılan tekstil ve konfeksiyon işleri",
    "610": "Turistik mağazalara verilen müşteri bulma / götürme hizmetleri",
    "611": "Spor kulüplerinin yayın, reklam ve isim hakkı gelirlerine konu işlemleri",
    "612": "Temizlik hizmeti",
    "613": "Çevre ve bahçe bakım hizmetleri",
    "614": "Servis taşımacılığı hizmeti",
    "615": "Her türlü baskı ve basım hizmetleri",
    "616": "Diğer hizmetler",
    "617": "Hurda metalden elde edilen külçe teslimleri",
    "618": "Hurda metalden elde edilenler dışındaki bakır, çinko, alüminyum külçe teslimleri",
    "619": "Bakır, çinko, alüminyum ve kurşun ürünlerinin teslimi",
    "620": "İstisnadan vazgeçenlerin hurda ve atık teslimi",
    "621": (
        "Metal, plastik, lastik, kauçuk, kâğıt, cam hurda ve atıklardan elde edilen "
        "hammadde teslimi"
    ),
    "622": "Pamuk, tiftik, yün ve yapağı ile ham post ve deri teslimleri",
    "623": "Ağaç ve orman ürünleri teslimi",
    "624": "Yük taşımacılığı hizmeti",
    "625": "Ticari reklam hizmetleri",
    "626": "Diğer teslimler",
    "627": "Demir-çelik ürünlerinin teslimi",
}
# (code, percent) pairs GİB accepts (WithholdingTaxTypeWithPercent); 8xx are full (100 %)
WITHHOLDING_CODE_PERCENTS = frozenset(
    [
        (c[:3], int(c[3:]))
        for c in (
            "60130",
            "60140",
            "60290",
            "60350",
            "60370",
            "60450",
            "60550",
            "60690",
            "60790",
            "60890",
            "60950",
            "60970",
            "61090",
            "61190",
            "61270",
            "61290",
            "61370",
            "61390",
            "61450",
            "61550",
            "61570",
            "61650",
            "61770",
            "61870",
            "61970",
            "62070",
            "62190",
            "62290",
            "62350",
            "62420",
            "62530",
            "62620",
            "62740",
            "62750",
        )
    ]
    + [(str(c), 100) for c in range(801, 826)]
)

EXEMPTION_REASONS = {
    "301": "11/1-a Mal ihracatı",
    "302": "11/1-a Hizmet ihracatı",
    "350": "Diğer istisnalar",
    "351": "KDV - İstisna olmayan diğer",
    "701": "3065 s. KDV Kanunu 11/1-c md. kapsamındaki ihraç kaydıyla teslimler",
    "702": "DİİB ve Geçici Kabul Rejimi kapsamındaki satışlar",
    "703": "4760 s. ÖTV Kanunu 8/2 md. kapsamındaki teslimler",
    # özel matrah (KDV Kanunu 23, 24): GİB's code list texts
    "801": "Milli Piyango, Spor Toto vb. Oyunlar",
    "802": "At yarışları ve diğer müşterek bahis ve talih oyunları",
    "803": (
        "Profesyonel Sanatçıların Yer Aldığı Gösteriler, Konserler, Profesyonel "
        "Sporcuların Katıldığı Sportif Faaliyetler, Maçlar, Yarışlar ve Yarışmalar"
    ),
    "804": "Gümrük Depolarında ve Müzayede Mahallerinde Yapılan Satışlar",
    "805": ("Altından Mamül veya Altın İhtiva Eden Ziynet Eşyaları ile Sikke Altınların Teslimi"),
    "806": "Tütün Mamülleri",
    "807": "Muzır Neşriyat Kapsamındaki Gazete, Dergi vb. Periyodik Yayınlar",
    "808": ("Gümüşten Mamul veya Gümüş İhtiva Eden Ziynet Eşyaları ile Sikke Gümüşlerin Teslimi"),
    "809": (
        "Belediyeler tarafından yapılan şehiriçi yolcu taşımacılığında kullanılan "
        "biletlerin ve kartların bayiler tarafından satışı"
    ),
    "810": "Ön Ödemeli Elektronik Haberleşme Hizmetleri",
    "811": (
        "TŞOF Tarafından Araç Plakaları ile Sürücü Kurslarında Kullanılan Bazı Evrakın Teslimi"
    ),
    "812": "KDV Uygulanmadan Alınan İkinci El Motorlu Kara Taşıtı veya Taşınmaz Teslimi",
}

PAYMENT_METHODS = {
    "KREDIKARTI/BANKAKARTI": "48",
    "EFT/HAVALE": "42",
    "KAPIDAODEME": "10",
    "ODEMEARACISI": "ZZZ",
    "DIGER": "ZZZ",
}
# customs administration receiving export (IHRACAT) invoices: its VKN (sch:TaxFreeInvoiceCheck-1)
# and its export mailbox (sch:IhracatYolcuBeraberCheck-2); the foreign buyer is BuyerCustomerParty
GTB_VKN = "1460415308"
GTB_EXPORT_ALIAS = "urn:mail:ihracatpk@gtb.gov.tr"
GTB_NAME = "Gümrük ve Ticaret Bakanlığı Bilgi İşlem Dairesi Başkanlığı"
INCOTERMS = frozenset(
    (
        "CFR",
        "CIF",
        "CIP",
        "CPT",
        "DAF",
        "DDP",
        "DDU",
        "DEQ",
        "DES",
        "EXW",
        "FAS",
        "FCA",
        "FOB",
        "DAP",
        "DPU",
    )
)
TRANSPORT_MODES = {
    "1": "Denizyolu",
    "2": "Demiryolu",
    "3": "Karayolu",
    "4": "Havayolu",
    "5": "Posta",
    "6": "Çok araçlı",
    "7": "Sabit taşıma tesisleri",
    "8": "İç su taşımacılığı",
    "9": "Bilinmiyor",
}
